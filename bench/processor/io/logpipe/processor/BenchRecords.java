package io.logpipe.processor;

import io.logpipe.record.LineText;
import io.logpipe.record.RawRecord;
import io.logpipe.record.SourceKind;
import java.util.Map;
import java.util.Random;

/**
 * The homelab's record mix that both processor benchmarks read: 60 % pod lines (JSON, logfmt,
 * klog and PostgreSQL form, one in ten JSON lines an error) of five apps, 25 % journald lines of
 * Ollama and LiteLLM (one in ten at priority 3), 15 % syslog; one line a millisecond from
 * 2025-11-25T10:00Z. The same seed gives the same records.
 */
public final class BenchRecords {
    private static final String[] APPS = {"n8n", "postgres", "redis", "qdrant", "grafana"};
    private static final long T0 = 1_764_064_800_000_000_000L;

    private final Random random = new Random(7);
    private int next;

    public RawRecord next() {
        int i = next++;
        long ts = T0 + i * 1_000_000L;
        int pick = random.nextInt(100);
        if (pick < 60) {
            String app = APPS[random.nextInt(APPS.length)];
            String pod = app + "-5d8f7c9b4-" + (char) ('a' + random.nextInt(3)) + "x2k9";
            String line = switch (random.nextInt(4)) {
                case 0 -> "{\"time\":\"2026-11-25T10:00:00.000Z\",\"level\":\"" + (random.nextInt(10) == 0 ? "error" : "info")
                        + "\",\"msg\":\"workflow execution finished\",\"workflowId\":" + i + ",\"durationMs\":" + random.nextInt(5000) + "}";
                case 1 -> "time=2026-11-25T10:00:00Z level=info msg=\"request served\" path=/api/v1/items/" + i + " status=200 duration=12ms";
                case 2 -> "I1125 10:00:00.000000       1 controller.go:142] reconciled object " + i;
                default -> "2026-11-25 10:00:00.000 UTC [27] LOG:  duration: " + random.nextInt(2000) + " ms  statement: SELECT 1";
            };
            Map<String, String> attributes = Map.of("namespace", "homelab", "pod", pod, "pod_uid", "7f9c2b1e-" + pod.hashCode(),
                    "container", app, "stream", "stdout", "node", "asuna", "host", "asuna",
                    "pod_label_app.kubernetes.io/name", app, "format", "cri");
            return RawRecord.of(ts, SourceKind.POD, attributes.get("pod_uid") + "/" + app, new LineText(line, null),
                    attributes, Map.of(), null);
        }
        if (pick < 85) {
            String unit = random.nextBoolean() ? "ollama.service" : "litellm.service";
            return RawRecord.of(ts, SourceKind.JOURNALD, "pesubuntu/" + unit,
                    new LineText("time=2026-11-25T10:00:00.000Z level=INFO source=server.go:512 msg=\"llama runner started\" duration=" + i, null),
                    Map.of("unit", unit, "syslog_identifier", "ollama", "priority", random.nextInt(10) == 0 ? "3" : "6",
                            "pid", "1234", "boot_id", "3f1e0a7c9b8d4e2f", "hostname", "pesubuntu", "host", "pesubuntu"),
                    Map.of("job", "systemd-journal", "host", "pesubuntu"), null);
        }
        return RawRecord.of(ts, SourceKind.FILE, "pesubuntu/var/log/syslog",
                new LineText("Nov 25 10:00:00 pesubuntu kernel: [" + i + "] EXT4-fs (sda1): mounted filesystem", null),
                Map.of("filename", "/var/log/syslog", "host", "pesubuntu"), Map.of("job", "syslog", "host", "pesubuntu"), null);
    }
}

package io.logpipe.processor;

import io.logpipe.record.Level;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A reproducible mix of what a homelab sends: pod lines in JSON, logfmt, klog and logger-prefix
 * form, journald entries of Ollama and LiteLLM, syslog lines, Kubernetes events, and some values
 * that are not raw records at all. Each generated record knows, independently of the processor's
 * code, its rate group and whether it is an error line, so tests can count by hand.
 */
final class MixedRecords {
    /** One generated input and what the processor must make of it. */
    record Generated(ProducerRecord<byte[], byte[]> input, String group, boolean error, boolean bad, long timestampMillis, String id) {
    }

    private static final String[] APPS = {"n8n", "postgres", "redis", "qdrant", "grafana"};

    private final Random random = new Random(42);
    private final Instant start;
    private final Duration step;

    MixedRecords(Instant start, Duration step) {
        this.start = start;
        this.step = step;
    }

    List<Generated> generate(String topic, int count) {
        List<Generated> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant at = start.plus(step.multipliedBy(i));
            String id = "#" + i;
            int pick = random.nextInt(100);
            if (pick < 1) {
                out.add(bad(topic, at, id, i));
            } else if (pick < 60) {
                out.add(pod(topic, at, id));
            } else if (pick < 80) {
                out.add(journald(topic, at, id));
            } else if (pick < 95) {
                out.add(syslog(topic, at, id));
            } else {
                out.add(event(topic, at, id));
            }
        }
        return out;
    }

    private Generated pod(String topic, Instant at, String id) {
        String app = APPS[random.nextInt(APPS.length)];
        boolean error = random.nextInt(10) == 0;
        String line = switch (random.nextInt(4)) {
            case 0 -> "{\"level\":\"" + (error ? "error" : "info") + "\",\"msg\":\"request " + id + "\"}";
            case 1 -> "time=2026-11-25T10:00:00Z level=" + (error ? "error" : "debug") + " msg=\"request " + id + "\"";
            case 2 -> (error ? "E" : "I") + "1125 10:00:00.000000       1 server.go:42] request " + id;
            default -> "2026-11-25 10:00:00 [" + (error ? "ERROR" : "WARN") + "] request " + id;
        };
        RawRecord record = RawRecords.pod(app, app + "-5d8f7c9b4-x2k9p", line, at);
        return good(topic, record, "{app=\"" + app + "\", namespace=\"homelab\"}", error, at, id);
    }

    private Generated journald(String topic, Instant at, String id) {
        String unit = random.nextBoolean() ? "ollama.service" : "litellm.service";
        boolean error = random.nextInt(8) == 0;
        RawRecord record = RawRecords.journald(unit, error ? "3" : "6", "level=INFO msg=\"inference " + id + "\"", at);
        return good(topic, record, "{host=\"pesubuntu\", job=\"systemd-journal\", unit=\"" + unit + "\"}", error, at, id);
    }

    private Generated syslog(String topic, Instant at, String id) {
        boolean error = random.nextInt(20) == 0;
        String line = "Nov 25 10:00:00 pesubuntu kernel: " + (error ? "ERROR: " : "") + "disk space " + id;
        return good(topic, RawRecords.syslog(line, at), "{host=\"pesubuntu\", job=\"syslog\"}", error, at, id);
    }

    private Generated event(String topic, Instant at, String id) {
        boolean warning = random.nextBoolean();
        RawRecord record = RawRecords.event(warning ? "Warning" : "Normal", "Back-off " + id);
        record = new RawRecord(record.version(), RawRecords.nanos(at), record.kind(), record.source(), record.line(), null,
                record.attributes(), record.labels(), null);
        return good(topic, record, "{job=\"kubernetes-events\", namespace=\"homelab\"}", false, at, id);
    }

    private Generated bad(String topic, Instant at, String id, int i) {
        String value = i % 2 == 0 ? "not a record " + id : "{\"v\":2,\"ts\":1,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"" + id + "\"}";
        ProducerRecord<byte[], byte[]> input = new ProducerRecord<>(topic, null, at.toEpochMilli(),
                ("bad" + (i % 7)).getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        return new Generated(input, null, false, true, at.toEpochMilli(), id);
    }

    private static Generated good(String topic, RawRecord record, String group, boolean error, Instant at, String id) {
        ProducerRecord<byte[], byte[]> input = new ProducerRecord<>(topic, null, at.toEpochMilli(),
                record.source().getBytes(StandardCharsets.UTF_8), RecordCodec.encode(record));
        return new Generated(input, group, error, false, at.toEpochMilli(), id);
    }

    /** The id a generated good line carries at its end: {@code #123}. */
    static String idOf(String line) {
        int hash = line.lastIndexOf('#');
        int end = hash + 1;
        while (end < line.length() && Character.isDigit(line.charAt(end))) {
            end++;
        }
        return line.substring(hash, end);
    }
}

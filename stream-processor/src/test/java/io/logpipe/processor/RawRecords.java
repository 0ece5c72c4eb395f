package io.logpipe.processor;

import io.logpipe.record.LineText;
import io.logpipe.record.RawRecord;
import io.logpipe.record.SourceKind;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Raw records as the collector writes them for each kind of source (docs/record-format.md). */
public final class RawRecords {
    public static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private RawRecords() {
    }

    public static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    /** A line of a pod of the homelab namespace on node asuna, with the pod label {@code app.kubernetes.io/name}. */
    public static RawRecord pod(String app, String pod, String line, Instant at) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("namespace", "homelab");
        attributes.put("pod", pod);
        attributes.put("pod_uid", "7f9c2b1e-4a2d-4d5e-9c1a-" + Integer.toHexString(pod.hashCode()));
        attributes.put("container", app);
        attributes.put("stream", "stdout");
        attributes.put("node", "asuna");
        attributes.put("host", "asuna");
        attributes.put("pod_label_app.kubernetes.io/name", app);
        attributes.put("format", "cri");
        return RawRecord.of(nanos(at), SourceKind.POD, attributes.get("pod_uid") + "/" + app, new LineText(line, null),
                attributes, Map.of(), null);
    }

    public static RawRecord pod(String app, String line) {
        return pod(app, app + "-5d8f7c9b4-x2k9p", line, T0);
    }

    /** A journald entry of {@code unit} on pesubuntu, collected with the plan's static labels. */
    public static RawRecord journald(String unit, String priority, String line, Instant at) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("unit", unit);
        attributes.put("syslog_identifier", unit.replace(".service", ""));
        attributes.put("pid", "1234");
        attributes.put("boot_id", "3f1e0a7c9b8d4e2fa1b2c3d4e5f60718");
        attributes.put("hostname", "pesubuntu");
        attributes.put("host", "pesubuntu");
        if (priority != null) {
            attributes.put("priority", priority);
        }
        return RawRecord.of(nanos(at), SourceKind.JOURNALD, "pesubuntu/" + unit, new LineText(line, null),
                attributes, Map.of("job", "systemd-journal", "host", "pesubuntu"), null);
    }

    public static RawRecord journald(String unit, String priority, String line) {
        return journald(unit, priority, line, T0);
    }

    /** A line of a file source with the static labels of the plan's syslog or ollama jobs. */
    public static RawRecord file(String path, Map<String, String> labels, String line, Instant at) {
        return RawRecord.of(nanos(at), SourceKind.FILE, "pesubuntu" + path, new LineText(line, null),
                Map.of("filename", path, "host", "pesubuntu"), labels, null);
    }

    public static RawRecord syslog(String line, Instant at) {
        return file("/var/log/syslog", Map.of("job", "syslog", "host", "pesubuntu"), line, at);
    }

    public static RawRecord event(String type, String line) {
        return RawRecord.of(nanos(T0), SourceKind.K8S_EVENT, "events/homelab", new LineText(line, null),
                Map.of("namespace", "homelab", "reason", "BackOff", "type", type, "involved_kind", "Pod",
                        "involved_name", "n8n-5d8f7c9b4-x2k9p", "event_uid", "0b1c2d3e", "host", "asuna"),
                Map.of(), null);
    }
}

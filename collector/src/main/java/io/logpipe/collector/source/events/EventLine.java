package io.logpipe.collector.source.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.logpipe.collector.timestamp.Rfc3339;
import java.util.HashMap;
import java.util.Map;

/**
 * How a Kubernetes event reads as a log line: logfmt, so the processor's logfmt parser finds
 * its level ({@code Warning} → {@code warn}) without a special case.
 * {@code level=warn type=Warning reason=BackOff object=Pod/n8n-5d8f count=5 message="Back-off restarting failed container"}
 */
record EventLine(String line, long timestampNanos, boolean hasTimestamp, Map<String, String> attributes, String sourceIdentity) {

    static EventLine of(Event event, Rfc3339 timestamps) {
        ObjectReference involved = event.getInvolvedObject() == null ? new ObjectReference() : event.getInvolvedObject();
        String namespace = event.getMetadata().getNamespace() == null ? "" : event.getMetadata().getNamespace();
        String type = event.getType() == null ? "Normal" : event.getType();
        int count = event.getCount() == null ? 1 : event.getCount();
        StringBuilder line = new StringBuilder();
        line.append("level=").append("Warning".equalsIgnoreCase(type) ? "warn" : "info");
        append(line, "type", type);
        append(line, "reason", event.getReason());
        append(line, "object", involved.getKind() + "/" + involved.getName());
        append(line, "namespace", namespace);
        append(line, "count", Integer.toString(count));
        String component = event.getSource() != null && event.getSource().getComponent() != null
                ? event.getSource().getComponent() : event.getReportingComponent();
        append(line, "source", component);
        append(line, "message", event.getMessage() == null ? "" : event.getMessage().strip());

        long ts = -1;
        for (String candidate : new String[] {
            event.getSeries() == null || event.getSeries().getLastObservedTime() == null ? null
                    : event.getSeries().getLastObservedTime().getTime(),
            event.getLastTimestamp(),
            event.getEventTime() == null ? null : event.getEventTime().getTime(),
            event.getFirstTimestamp(),
            event.getMetadata().getCreationTimestamp()}) {
            if (candidate != null && ts < 0) {
                ts = timestamps.parseNanos(candidate);
            }
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put("namespace", namespace);
        attributes.put("type", type);
        putIfPresent(attributes, "reason", event.getReason());
        putIfPresent(attributes, "involved_kind", involved.getKind());
        putIfPresent(attributes, "involved_name", involved.getName());
        putIfPresent(attributes, "event_uid", event.getMetadata().getUid());
        attributes.put("count", Integer.toString(count));
        String identity = "k8s-events/" + namespace + "/" + involved.getKind() + "/" + involved.getName();
        return new EventLine(line.toString(), ts < 0 ? System.currentTimeMillis() * 1_000_000L : ts, ts >= 0, attributes, identity);
    }

    private static void append(StringBuilder line, String key, String value) {
        if (value == null) {
            return;
        }
        line.append(' ').append(key).append('=');
        if (value.isEmpty() || value.chars().anyMatch(c -> c == ' ' || c == '"' || c == '=' || c < 0x20)) {
            line.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        } else {
            line.append(value);
        }
    }

    private static void putIfPresent(Map<String, String> attributes, String key, String value) {
        if (value != null) {
            attributes.put(key, value);
        }
    }
}

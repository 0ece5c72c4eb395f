package io.logpipe.labels;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A Loki stream's label set, sorted by name. Its {@link #canonical()} text is the Kafka key of
 * {@code logs.enriched}, so one stream always lands in one partition and keeps its order.
 */
public record LabelSet(SortedMap<String, String> labels) {

    public LabelSet {
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    public static LabelSet of(Map<String, String> labels) {
        return new LabelSet(new TreeMap<>(labels));
    }

    public String get(String name) {
        return labels.get(name);
    }

    public int size() {
        return labels.size();
    }

    public boolean isEmpty() {
        return labels.isEmpty();
    }

    /** Loki's own text form: {@code {app="n8n", namespace="homelab"}}, names sorted, values escaped. */
    public String canonical() {
        StringBuilder out = new StringBuilder(16 + labels.size() * 24).append('{');
        boolean first = true;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            out.append(label.getKey()).append("=\"");
            appendEscaped(out, label.getValue());
            out.append('"');
        }
        return out.append('}').toString();
    }

    @Override
    public String toString() {
        return canonical();
    }

    static void appendEscaped(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}

package io.logpipe.record;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a raw record was read. Decides which metadata keys a record carries. */
public enum SourceKind {
    /** A Kubernetes container log in CRI or docker json-file format under /var/log/pods. */
    POD,
    /** A Kubernetes event, turned into a log line. */
    K8S_EVENT,
    /** A journald entry. */
    JOURNALD,
    /** A plain log file. */
    FILE,
    /** Lines made up by {@code logpipe local --demo}. */
    DEMO;

    // every record writes and reads these labels: computed once, not per call
    private final String label = name().toLowerCase(Locale.ROOT);
    // values() copies its array on every call, and the processor reads a kind on every line
    private static final SourceKind[] KINDS = values();

    @JsonValue
    public String label() {
        return label;
    }

    @JsonCreator
    public static SourceKind fromLabel(String label) {
        for (SourceKind kind : KINDS) {
            if (kind.label().equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown source kind '" + label + "' (allowed: pod, k8s_event, journald, file, demo)");
    }
}

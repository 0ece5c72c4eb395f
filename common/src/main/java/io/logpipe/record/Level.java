package io.logpipe.record;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The normalised severity of a log line; the value of the Loki {@code level} label. */
public enum Level {
    TRACE, DEBUG, INFO, WARN, ERROR, FATAL, UNKNOWN;

    // every record writes and reads these labels: computed once, not per call
    private final String label = name().toLowerCase(Locale.ROOT);

    /** The lowercase name used in labels, metrics and JSON. */
    @JsonValue
    public String label() {
        return label;
    }

    @JsonCreator
    public static Level fromLabel(String label) {
        for (Level level : values()) {
            if (level.label().equals(label)) {
                return level;
            }
        }
        throw new IllegalArgumentException("unknown level '" + label + "' (allowed: trace, debug, info, warn, error, fatal, unknown)");
    }

    /** True for the levels that count as errors in the error-rate metrics. */
    public boolean isError() {
        return this == ERROR || this == FATAL;
    }
}

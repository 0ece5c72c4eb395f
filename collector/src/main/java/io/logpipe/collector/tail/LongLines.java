package io.logpipe.collector.tail;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a tailing source does with a line longer than its {@code max_line_size}. */
public enum LongLines {
    /** Ship it in pieces of at most the maximum, each flagged {@code split}. */
    SPLIT,
    /** Ship the first maximum bytes flagged {@code truncated}, skip the rest. */
    TRUNCATE;

    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static LongLines of(String name) {
        for (LongLines l : values()) {
            if (l.configName().equalsIgnoreCase(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown long_lines '" + name + "' (allowed: split, truncate)");
    }
}

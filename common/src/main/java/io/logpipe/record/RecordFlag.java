package io.logpipe.record;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Facts about how a line was read that a reader of the record should know. */
public enum RecordFlag {
    /** The source bytes were not valid UTF-8; {@code line} has U+FFFD in their place and {@code raw_bytes} holds the original. */
    INVALID_UTF8,
    /** The line was longer than the source's maximum and was cut; the rest was dropped. */
    TRUNCATED,
    /** The line was longer than the source's maximum and was split; this record is one piece of it. */
    SPLIT,
    /** The source gave no timestamp: {@code ts} is the time the collector read the line. */
    READ_TIME,
    /** The record was joined from several CRI partial lines or by a multiline pattern. */
    JOINED;

    // every record writes and reads these labels: computed once, not per call
    private final String label = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String label() {
        return label;
    }

    @JsonCreator
    public static RecordFlag fromLabel(String label) {
        for (RecordFlag flag : values()) {
            if (flag.label().equals(label)) {
                return flag;
            }
        }
        throw new IllegalArgumentException("unknown flag '" + label + "'");
    }
}

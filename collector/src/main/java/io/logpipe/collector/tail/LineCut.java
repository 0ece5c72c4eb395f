package io.logpipe.collector.tail;

import io.logpipe.record.RecordFlag;
import java.util.EnumSet;

/** Whether a line came whole or was cut because it was longer than the source's maximum. */
public enum LineCut {
    /** The whole line. */
    WHOLE,
    /** The first {@code max_line_size} bytes of a longer line; the rest was skipped. */
    TRUNCATED,
    /** The first piece of a line split into pieces of at most {@code max_line_size} bytes. */
    SPLIT_FIRST,
    /** A later piece of a split line (the last one included). */
    SPLIT_MORE;

    public boolean isSplit() {
        return this == SPLIT_FIRST || this == SPLIT_MORE;
    }

    /** The flags of a record holding a line cut this way: a set of its own, to which a source may add. */
    public EnumSet<RecordFlag> flags() {
        return switch (this) {
            case WHOLE -> EnumSet.noneOf(RecordFlag.class);
            case TRUNCATED -> EnumSet.of(RecordFlag.TRUNCATED);
            case SPLIT_FIRST, SPLIT_MORE -> EnumSet.of(RecordFlag.SPLIT);
        };
    }
}

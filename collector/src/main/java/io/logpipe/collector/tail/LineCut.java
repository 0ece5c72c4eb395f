package io.logpipe.collector.tail;

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
}

package io.logpipe.collector.tail;

/**
 * What a source does with the lines of one tailed file. Called from the tailing thread only;
 * may block (publishing waits while Kafka is down), which stops the tailing.
 */
public interface TailHandler {

    /**
     * One line, without its newline (and without a trailing CR).
     *
     * @param bytes buffer holding the line; valid only during the call
     * @param startOffset file offset of the line's first byte (of this piece, for a split line)
     * @param endOffset file offset just after the line and its newline: the checkpoint once shipped
     */
    void line(byte[] bytes, int offset, int length, long startOffset, long endOffset, LineCut cut) throws InterruptedException;

    /** Nothing new for a while: ship what waits for a continuation that has not come (multiline timeout). */
    default void idle(long nowNanos) throws InterruptedException {
    }

    /** The file is finished (rotated away, truncated or gone): ship everything still pending. */
    default void finish() throws InterruptedException {
    }
}

package io.logpipe.collector.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** One open file being read: its channel, identity and head, read offset and the line state inside it. */
final class OpenFile implements AutoCloseable {
    /** {@link #readOnce} found the file no longer starting with its head: see {@link #replaced()}. */
    static final int REPLACED = -1;
    final Path openedAs;
    final FileIdentity identity;
    final TailHandler handler;
    private final FileHead head;
    private final FileChannel channel;
    private final LineReader lines;
    private long readOffset;
    /** why the file no longer starts with its head; null while it does */
    private String replacedBecause;

    /** {@code head} holds the file's bytes before {@code offset} (up to its size); the handler makes positions from it. */
    OpenFile(Path path, FileHead head, long offset, TailSettings settings, TailHandler handler) throws IOException {
        this.openedAs = path;
        this.identity = head.identity();
        this.head = head;
        this.handler = handler;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.lines = new LineReader(settings.maxLineSize(), settings.longLines());
        this.readOffset = offset;
    }

    /**
     * Reads once into {@code buffer} and hands the complete lines on, when the file still starts
     * with its head.
     *
     * <p>The head is compared after every read that returned bytes and before they are handed on
     * ({@code headCheck}: at most {@link FileHead#SIZE} bytes). A truncation noticed only as "size
     * below the read offset" misses a file truncated and written past the offset again while
     * reading was stopped (Kafka down: {@link TailHandler#line} blocks in the middle of a chunk) or
     * between two polls (a fast writer), and its new bytes would be read as the old file's
     * continuation. Checking before reading would leave the time between the check and the read;
     * checking after it means the chunk was read before any truncation the check does not see. It
     * costs one positional read of at most 1 KiB, mostly from the page cache, per read that
     * returned bytes: nothing for a quiet file, about one per poll of a file that grew, and
     * 1/256 of the bytes of a file read in full chunks.
     *
     * @return bytes read, 0 at the end of the file, {@link #REPLACED} (nothing handed on) when the
     *         file no longer starts with its head
     */
    int readOnce(ByteBuffer buffer, ByteBuffer headCheck, ReadStats stats) throws IOException, InterruptedException {
        if (replacedBecause != null) {
            return REPLACED;
        }
        buffer.clear();
        int n = channel.read(buffer, readOffset);
        if (n <= 0) {
            return 0;
        }
        replacedBecause = head.changedIn(channel, headCheck).orElse(null);
        if (replacedBecause != null) {
            return REPLACED;
        }
        head.saw(buffer.array(), buffer.arrayOffset(), n, readOffset); // before the lines: their positions are fingerprinted with it
        long dropped = lines.feed(buffer.array(), buffer.arrayOffset(), n, readOffset, handler);
        stats.truncatedBytes += dropped;
        readOffset += n;
        return n;
    }

    long size() throws IOException {
        return channel.size();
    }

    long readOffset() {
        return readOffset;
    }

    /** Why the file no longer starts with the bytes first read from it, once a read found that. */
    Optional<String> replaced() {
        return Optional.ofNullable(replacedBecause);
    }

    /**
     * The position up to which this file's lines were handed on: the read offset, or the start of
     * a line read only in part. What the file held from there on is, after a copytruncate, only in
     * the copy; it carries the fingerprint of this file's head, by which the copy is recognised.
     */
    FilePosition handedOnTo() {
        return head.position(lines.unhandedFrom(readOffset));
    }

    /**
     * The file shrank or no longer starts with its head (copytruncate): start again at its
     * beginning. A line read only in part is dropped: {@link #handedOnTo()} says where it began.
     */
    void restartAtZero() throws InterruptedException {
        handler.finish();
        lines.reset();
        head.forget();
        readOffset = 0;
        replacedBecause = null;
    }

    /** No more data will come: a last line without newline is a line; pending records ship. */
    void finish() throws InterruptedException {
        lines.flush(readOffset, handler);
        handler.finish();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a read-only channel cannot lose data
        }
    }

    /** What one read round observed, for the metrics. */
    static final class ReadStats {
        long truncatedBytes;
    }
}

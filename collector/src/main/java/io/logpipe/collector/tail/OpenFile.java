package io.logpipe.collector.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** One open file being read: its channel, identity and head, read offset and the line state inside it. */
final class OpenFile implements AutoCloseable {
    final Path openedAs;
    final FileIdentity identity;
    final TailHandler handler;
    private final FileHead head;
    private final FileChannel channel;
    private final LineReader lines;
    private long readOffset;

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
     * Reads once into {@code buffer} and hands the complete lines on.
     *
     * @return bytes read, 0 at the end of the file
     */
    int readOnce(ByteBuffer buffer, ReadStats stats) throws IOException, InterruptedException {
        buffer.clear();
        int n = channel.read(buffer, readOffset);
        if (n <= 0) {
            return 0;
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

    /** The file shrank under us (copytruncate): start again at its beginning. */
    void restartAtZero() throws InterruptedException {
        handler.finish();
        lines.reset();
        head.forget();
        readOffset = 0;
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

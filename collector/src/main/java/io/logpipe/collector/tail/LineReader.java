package io.logpipe.collector.tail;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Cuts a byte stream into lines, never holding more than {@code maxLineSize} bytes of one line:
 * a longer line is cut into pieces or truncated. A line wholly inside one read chunk is passed
 * on without copying; only a line that spans chunks is carried over.
 */
final class LineReader {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long NEWLINES = LOW_BITS * '\n';
    private final int maxLineSize;
    private final LongLines longLines;
    private byte[] carry = new byte[256];
    private int carryLength;
    private long carryStart;
    /** the current line already produced a piece (split) or its kept part (truncate) */
    private boolean cut;
    private long truncatedBytes;

    LineReader(int maxLineSize, LongLines longLines) {
        this.maxLineSize = maxLineSize;
        this.longLines = longLines;
    }

    /**
     * Feeds {@code length} bytes that start at file offset {@code fileOffset}.
     *
     * @return bytes dropped by truncation in this chunk
     */
    long feed(byte[] chunk, int offset, int length, long fileOffset, TailHandler handler) throws InterruptedException {
        truncatedBytes = 0;
        int end = offset + length;
        int start = offset;
        while (start < end) {
            int newline = indexOf(chunk, start, end);
            int segmentEnd = newline < 0 ? end : newline;
            long offsetAfter = fileOffset + (segmentEnd - offset) + (newline < 0 ? 0 : 1);
            if (newline >= 0 && carryLength == 0 && !cut && segmentEnd - start <= maxLineSize) {
                handler.line(chunk, start, trimCr(chunk, start, segmentEnd) - start, fileOffset + (start - offset), offsetAfter, LineCut.WHOLE);
            } else {
                append(chunk, start, segmentEnd, fileOffset + (start - offset), handler);
                if (newline >= 0) {
                    endLine(offsetAfter, handler);
                }
            }
            start = newline < 0 ? end : newline + 1;
        }
        return truncatedBytes;
    }

    /** The file ends without a final newline and will not grow: the rest is a line. */
    void flush(long endOffset, TailHandler handler) throws InterruptedException {
        if (carryLength > 0 || cut) {
            endLine(endOffset, handler);
        }
    }

    /** Forgets a partial line (the file was truncated under it). */
    void reset() {
        carryLength = 0;
        cut = false;
    }

    boolean holdsPartialLine() {
        return carryLength > 0 || cut;
    }

    /**
     * Where what has not been handed on yet starts: the line begun but not ended (after its last
     * piece, when split), or {@code readOffset} when every line read was handed on.
     */
    long unhandedFrom(long readOffset) {
        return holdsPartialLine() ? carryStart : readOffset;
    }

    private void append(byte[] chunk, int from, int to, long fromOffset, TailHandler handler) throws InterruptedException {
        int pos = from;
        if (carryLength == 0 && !cut) {
            carryStart = fromOffset;
        }
        while (pos < to) {
            int room = maxLineSize - carryLength;
            if (room == 0) {
                if (longLines == LongLines.SPLIT) {
                    long pieceEnd = fromOffset + (pos - from);
                    handler.line(carry, 0, carryLength, carryStart, pieceEnd, cut ? LineCut.SPLIT_MORE : LineCut.SPLIT_FIRST);
                    carryLength = 0;
                    carryStart = pieceEnd;
                    cut = true;
                    continue;
                }
                cut = true;
                truncatedBytes += to - pos;
                return;
            }
            int n = Math.min(room, to - pos);
            ensureCapacity(carryLength + n);
            System.arraycopy(chunk, pos, carry, carryLength, n);
            carryLength += n;
            pos += n;
        }
    }

    private void endLine(long offsetAfter, TailHandler handler) throws InterruptedException {
        LineCut kind;
        if (!cut) {
            kind = LineCut.WHOLE;
        } else if (longLines == LongLines.SPLIT) {
            kind = LineCut.SPLIT_MORE;
        } else {
            kind = LineCut.TRUNCATED;
        }
        int length = kind == LineCut.TRUNCATED ? carryLength : trimCr(carry, 0, carryLength);
        if (!(kind == LineCut.SPLIT_MORE && length == 0)) {
            handler.line(carry, 0, length, carryStart, offsetAfter, kind);
        }
        carryLength = 0;
        cut = false;
        if (carry.length > 64 * 1024) {
            carry = new byte[256]; // do not keep a huge buffer for one long line
        }
    }

    private void ensureCapacity(int needed) {
        if (needed > carry.length) {
            carry = Arrays.copyOf(carry, Math.min(maxLineSize, Math.max(needed, carry.length * 2)));
        }
    }

    private static int trimCr(byte[] bytes, int from, int to) {
        return to > from && bytes[to - 1] == '\r' ? to - 1 : to;
    }

    /** The first newline in {@code bytes[from, to)}, or -1: eight bytes a step, as every byte read passes here. */
    static int indexOf(byte[] bytes, int from, int to) {
        int i = from;
        for (int last = to - Long.BYTES; i <= last; i += Long.BYTES) {
            long w = (long) LONGS.get(bytes, i) ^ NEWLINES;
            // the high bit of each zero byte of w, i.e. of each newline; the lowest one is exact
            long newlines = (w - LOW_BITS) & ~w & HIGH_BITS;
            if (newlines != 0) {
                return i + (Long.numberOfTrailingZeros(newlines) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}

package io.logpipe.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What the per-line JSON readers (the processor's raw record reader, the sink's transcoder)
 * share: finding where the plain text of a string ends, and hashing a range of bytes to find a
 * label or attribute object seen before. Both look at every byte of every record, so both go
 * eight bytes a step.
 */
public final class JsonBytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = LOW_BITS * '"';
    private static final long BACKSLASHES = LOW_BITS * '\\';

    private JsonBytes() {
    }

    /**
     * The first position from {@code from} on whose byte is not plain string text (a quote, a
     * backslash, a control character or a non-ASCII byte), or {@code bytes.length} when there is none.
     */
    public static int plainRun(byte[] bytes, int from) {
        return plainRun(bytes, from, bytes.length);
    }

    /** {@link #plainRun(byte[], int)} within {@code bytes[from, to)}: {@code to} when all of it is plain. */
    public static int plainRun(byte[] bytes, int from, int to) {
        int p = from;
        for (int last = to - Long.BYTES; p <= last; p += Long.BYTES) {
            long w = (long) LONGS.get(bytes, p);
            // a byte's high bit is set where it is non-ASCII, a control character, a quote or a
            // backslash; the lowest such byte is exact (the usual zero-byte test only errs above it)
            long special = (w | below(w, 0x20) | below(w ^ QUOTES, 1) | below(w ^ BACKSLASHES, 1)) & HIGH_BITS;
            if (special != 0) {
                return p + (Long.numberOfTrailingZeros(special) >>> 3);
            }
        }
        while (p < to && bytes[p] >= 0x20 && bytes[p] != '"' && bytes[p] != '\\') {
            p++;
        }
        return p;
    }

    /** A hash of {@code bytes[from, to)}. */
    public static int hash(byte[] bytes, int from, int to) {
        long hash = to - from;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            hash = hash * 0x9E3779B97F4A7C15L + (long) LONGS.get(bytes, i);
        }
        for (; i < to; i++) {
            hash = hash * 31 + bytes[i];
        }
        return (int) (hash ^ (hash >>> 32));
    }

    /** High bit set in the bytes of {@code w} below {@code n} (n at most 0x80). */
    private static long below(long w, int n) {
        return (w - LOW_BITS * n) & ~w;
    }
}

package io.logpipe.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What the per-line JSON readers and writers (the processor's raw record reader, the sink's
 * transcoder, the collector's line writer) share: finding where the plain text of a string ends,
 * checking UTF-8 without decoding it, and hashing a range of bytes to find a label or attribute
 * object seen before. They look at every byte of every record, so the scan and the hash go eight
 * bytes a step.
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

    /**
     * The length of the well-formed multi-byte UTF-8 sequence at {@code i} within {@code s[.., end)},
     * or 0 when it is not one: no overlong forms, no surrogates, nothing above U+10FFFF (Unicode
     * table 3-7, the rules of the JDK's strict decoder). Such bytes decode the same in every decoder.
     */
    public static int utf8Sequence(byte[] s, int i, int end) {
        int lead = s[i] & 0xFF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            return i + 1 < end && isContinuation(s[i + 1]) ? 2 : 0;
        }
        if (lead >= 0xE0 && lead <= 0xEF) {
            if (i + 2 >= end) {
                return 0;
            }
            int second = s[i + 1] & 0xFF;
            int low = lead == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
            int high = lead == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
            return second >= low && second <= high && isContinuation(s[i + 2]) ? 3 : 0;
        }
        if (lead >= 0xF0 && lead <= 0xF4) {
            if (i + 3 >= end) {
                return 0;
            }
            int second = s[i + 1] & 0xFF;
            int low = lead == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
            int high = lead == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
            return second >= low && second <= high && isContinuation(s[i + 2]) && isContinuation(s[i + 3]) ? 4 : 0;
        }
        return 0;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /** High bit set in the bytes of {@code w} below {@code n} (n at most 0x80). */
    private static long below(long w, int n) {
        return (w - LOW_BITS * n) & ~w;
    }
}

package io.logpipe.collector.timestamp;

import java.time.LocalDate;

/**
 * Parses RFC 3339 timestamps with up to nanosecond precision ({@code 2025-11-25T10:00:00.123456789Z},
 * {@code ...+01:00}) straight from bytes, the form CRI, docker and Kubernetes write. Parsing
 * the timestamp of every pod log line is on the collector's hot path, so it avoids
 * {@code DateTimeFormatter} and remembers the last second it computed: lines of one file
 * mostly share it. One instance per thread.
 */
public final class Rfc3339 {
    private static final int SECONDS_PREFIX = 19; // yyyy-MM-ddTHH:mm:ss
    private final byte[] lastPrefix = new byte[SECONDS_PREFIX];
    private long lastEpochSecond = Long.MIN_VALUE;

    /**
     * @return nanoseconds since the epoch, or -1 when {@code bytes[offset, offset+length)} is not an RFC 3339 timestamp
     */
    public long parseNanos(byte[] bytes, int offset, int length) {
        if (length < SECONDS_PREFIX + 1) {
            return -1;
        }
        long epochSecond = epochSecond(bytes, offset);
        if (epochSecond == Long.MIN_VALUE) {
            return -1;
        }
        int pos = offset + SECONDS_PREFIX;
        int end = offset + length;
        long nanos = 0;
        if (bytes[pos] == '.' || bytes[pos] == ',') {
            pos++;
            int digits = 0;
            while (pos < end && isDigit(bytes[pos])) {
                if (digits < 9) {
                    nanos = nanos * 10 + (bytes[pos] - '0');
                }
                digits++;
                pos++;
            }
            if (digits == 0) {
                return -1;
            }
            for (int d = digits; d < 9; d++) {
                nanos *= 10;
            }
        }
        if (pos >= end) {
            return -1;
        }
        int offsetSeconds;
        byte zone = bytes[pos];
        if ((zone == 'Z' || zone == 'z') && pos + 1 == end) {
            offsetSeconds = 0;
        } else if ((zone == '+' || zone == '-') && end - pos == 6 && bytes[pos + 3] == ':') {
            int hours = twoDigits(bytes, pos + 1);
            int minutes = twoDigits(bytes, pos + 4);
            if (hours < 0 || minutes < 0) {
                return -1;
            }
            offsetSeconds = (hours * 3600 + minutes * 60) * (zone == '+' ? 1 : -1);
        } else {
            return -1;
        }
        return (epochSecond - offsetSeconds) * 1_000_000_000L + nanos;
    }

    public long parseNanos(CharSequence text) {
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = text.charAt(i);
            bytes[i] = c < 128 ? (byte) c : (byte) '?';
        }
        return parseNanos(bytes, 0, bytes.length);
    }

    /** Epoch second of the local date-time in the first 19 bytes, ignoring the zone; MIN_VALUE when malformed. */
    private long epochSecond(byte[] b, int o) {
        if (lastEpochSecond != Long.MIN_VALUE && java.util.Arrays.equals(b, o, o + SECONDS_PREFIX, lastPrefix, 0, SECONDS_PREFIX)) {
            return lastEpochSecond;
        }
        if (b[o + 4] != '-' || b[o + 7] != '-' || (b[o + 10] != 'T' && b[o + 10] != 't' && b[o + 10] != ' ')
                || b[o + 13] != ':' || b[o + 16] != ':') {
            return Long.MIN_VALUE;
        }
        int year = twoDigits(b, o) * 100 + twoDigits(b, o + 2);
        int month = twoDigits(b, o + 5);
        int day = twoDigits(b, o + 8);
        int hour = twoDigits(b, o + 11);
        int minute = twoDigits(b, o + 14);
        int second = twoDigits(b, o + 17);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return Long.MIN_VALUE;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException e) {
            return Long.MIN_VALUE;
        }
        long result = epochDay * 86_400 + hour * 3600L + minute * 60L + Math.min(second, 59);
        System.arraycopy(b, o, lastPrefix, 0, SECONDS_PREFIX);
        lastEpochSecond = result;
        return result;
    }

    private static int twoDigits(byte[] b, int o) {
        if (!isDigit(b[o]) || !isDigit(b[o + 1])) {
            return -1000;
        }
        return (b[o] - '0') * 10 + (b[o + 1] - '0');
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}

package io.logpipe.sink.transcode;

import io.logpipe.record.JsonBytes;
import io.logpipe.record.Level;
import io.logpipe.record.RecordFlag;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads an enriched record's JSON value (docs/record-format.md) and writes its Loki entry, the
 * {@code logproto.EntryAdapter} bytes, in one pass: the line's and metadata's bytes are copied
 * (unescaped) from the value, nothing else is kept. Returns null for anything that is not a plain
 * version-1 enriched record, so that the caller takes the reference path
 * ({@code RecordCodec.decodeEnriched}), which accepts or refuses it with a reason: any other
 * version, unknown or repeated fields, other JSON types, nulls, strings that are not valid UTF-8
 * or hold control characters, escaped lone surrogates, metadata names that are
 * not plain ASCII in ascending order, and lines longer than {@code maxLineBytes} (the reference
 * path truncates those). Everything it returns, the reference would decode to the same entry.
 *
 * <p>One instance a thread: it reuses its buffers from one value to the next.
 */
public final class EntryTranscoder {
    private static final int FALLBACK = -1;
    /**
     * Larger values are left to the reference, which applies Jackson's limit of 20 M chars a string:
     * no string of a smaller value can reach it.
     */
    private static final int LARGEST_VALUE = 20_000_000;
    private static final byte[][] LEVELS = Arrays.stream(Level.values()).map(l -> ascii(l.label())).toArray(byte[][]::new);
    private static final byte[][] FLAGS = Arrays.stream(RecordFlag.values()).map(f -> ascii(f.label())).toArray(byte[][]::new);
    private static final byte[][] FIELDS = {ascii("v"), ascii("ts"), ascii("labels"), ascii("level"), ascii("line"),
            ascii("raw_bytes"), ascii("metadata"), ascii("source"), ascii("flags")};
    private static final int V = 0;
    private static final int TS = 1;
    private static final int LABELS = 2;
    private static final int LEVEL = 3;
    private static final int LINE = 4;
    private static final int RAW_BYTES = 5;
    private static final int METADATA = 6;
    private static final int SOURCE = 7;
    private static final int FLAGS_FIELD = 8;
    private static final int REQUIRED = 1 << V | 1 << TS | 1 << LABELS | 1 << LINE;

    // protobuf tags (field number << 3 | wire type) of EntryAdapter, Timestamp and LabelPairAdapter
    private static final byte ENTRY_TIMESTAMP = 0x0A;
    private static final byte ENTRY_LINE = 0x12;
    private static final byte ENTRY_METADATA = 0x1A;
    private static final byte TIMESTAMP_SECONDS = 0x08;
    private static final byte TIMESTAMP_NANOS = 0x10;
    private static final byte PAIR_NAME = 0x0A;
    private static final byte PAIR_VALUE = 0x12;

    private final int maxLineBytes;
    private final GrowingBytes line = new GrowingBytes(1024);
    private final GrowingBytes metadata = new GrowingBytes(256);
    private final GrowingBytes metadataValue = new GrowingBytes(128);
    private byte[] in;
    private long timestamp;
    private byte[] likelyLabels;
    private int labelsFrom;
    private int labelsTo;
    private boolean labelsWereLikely;

    /** @param maxLineBytes lines longer than this (in UTF-8 bytes) are left to the reference path, which truncates them */
    public EntryTranscoder(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** The entry of {@code value}, or null when the value must take the reference path. */
    public Transcoded transcode(byte[] value) {
        return transcode(value, null);
    }

    /**
     * The entry of {@code value}, or null when the value must take the reference path.
     *
     * @param likelyLabels a labels object this transcoder has read before (the bytes between
     *                     {@link Transcoded#labelsFrom} and {@link Transcoded#labelsTo} of an earlier
     *                     value), which the value probably has too, or null: when the value holds
     *                     exactly these bytes there, they are not read again (a complete JSON object
     *                     ends where these bytes end), and {@link Transcoded#labelsWereLikely} says so
     */
    public Transcoded transcode(byte[] value, byte[] likelyLabels) {
        if (value == null || value.length > LARGEST_VALUE) {
            return null;
        }
        in = value;
        this.likelyLabels = likelyLabels;
        line.clear();
        metadata.clear();
        try {
            if (!record() || line.length > maxLineBytes) {
                return null;
            }
            return entry();
        } finally {
            in = null;
            this.likelyLabels = null;
        }
    }

    private boolean record() {
        int p = whitespace(0);
        if (p >= in.length || in[p] != '{') {
            return false;
        }
        int seen = 0;
        p = whitespace(p + 1);
        if (p < in.length && in[p] == '}') {
            return false; // no field at all: the reference says which is missing
        }
        while (true) {
            int nameEnd = plainString(p);
            if (nameEnd < 0) {
                return false;
            }
            int field = field(p + 1, nameEnd - 1);
            if (field < 0 || (seen & 1 << field) != 0) {
                return false;
            }
            seen |= 1 << field;
            p = whitespace(nameEnd);
            if (p >= in.length || in[p] != ':') {
                return false;
            }
            p = value(field, whitespace(p + 1));
            if (p < 0) {
                return false;
            }
            p = whitespace(p);
            if (p >= in.length) {
                return false;
            }
            if (in[p] == '}') {
                break;
            }
            if (in[p] != ',') {
                return false;
            }
            p = whitespace(p + 1);
        }
        return whitespace(p + 1) == in.length && (seen & REQUIRED) == REQUIRED;
    }

    /** Reads the value of {@code field} at {@code p}; returns the position after it, or {@link #FALLBACK}. */
    private int value(int field, int p) {
        return switch (field) {
            case V -> p + 1 < in.length && in[p] == '1' ? p + 1 : FALLBACK;
            case TS -> timestamp(p);
            case LABELS -> labels(p);
            case LEVEL -> oneOf(p, LEVELS);
            case LINE -> string(p, line);
            case METADATA -> metadata(p);
            case FLAGS_FIELD -> flags(p);
            default -> string(p, null); // raw_bytes and source: not sent to Loki
        };
    }

    private int field(int from, int to) {
        // told apart by length and first letter first: this runs for every field of every record
        int candidate = switch (to - from) {
            case 1 -> V;
            case 2 -> TS;
            case 4 -> LINE;
            case 5 -> in[from] == 'l' ? LEVEL : FLAGS_FIELD;
            case 6 -> in[from] == 'l' ? LABELS : SOURCE;
            case 8 -> METADATA;
            case 9 -> RAW_BYTES;
            default -> FALLBACK;
        };
        return candidate >= 0 && Arrays.equals(in, from, to, FIELDS[candidate], 0, FIELDS[candidate].length) ? candidate : FALLBACK;
    }

    /** A JSON integer that fits a long; the caller's check for the next comma or brace refuses fractions and exponents. */
    private int timestamp(int p) {
        boolean negative = p < in.length && in[p] == '-';
        if (negative) {
            p++;
        }
        if (p >= in.length || !digit(in[p])) {
            return FALLBACK;
        }
        long n = 0;
        if (in[p] == '0') {
            p++; // a leading zero stands alone in JSON
        } else {
            while (p < in.length && digit(in[p])) {
                int d = in[p++] - '0';
                if (n > (Long.MAX_VALUE - d) / 10) {
                    return FALLBACK;
                }
                n = n * 10 + d;
            }
        }
        timestamp = negative ? -n : n;
        return p;
    }

    /** The labels are not copied: the caller knows each distinct labels object by its bytes. */
    private int labels(int p) {
        labelsFrom = p;
        labelsWereLikely = likelyLabels != null && p + likelyLabels.length <= in.length
                && Arrays.equals(in, p, p + likelyLabels.length, likelyLabels, 0, likelyLabels.length);
        labelsTo = labelsWereLikely ? p + likelyLabels.length : object(p, false);
        return labelsTo;
    }

    private int metadata(int p) {
        return object(p, true);
    }

    /**
     * A JSON object of string values. With {@code encode}, its pairs are written as structured
     * metadata; the reference sends them in name order, so the names must be plain ASCII (where
     * byte order is the reference's string order) and strictly ascending.
     */
    private int object(int p, boolean encode) {
        if (p >= in.length || in[p] != '{') {
            return FALLBACK;
        }
        p = whitespace(p + 1);
        if (p < in.length && in[p] == '}') {
            return p + 1;
        }
        int previousFrom = -1;
        int previousTo = -1;
        while (true) {
            int nameFrom = p + 1;
            int nameEnd = encode ? plainString(p) : string(p, null);
            if (nameEnd < 0) {
                return FALLBACK;
            }
            p = whitespace(nameEnd);
            if (p >= in.length || in[p] != ':') {
                return FALLBACK;
            }
            p = whitespace(p + 1);
            if (encode) {
                int nameTo = nameEnd - 1;
                if (previousFrom >= 0 && Arrays.compare(in, previousFrom, previousTo, in, nameFrom, nameTo) >= 0) {
                    return FALLBACK;
                }
                previousFrom = nameFrom;
                previousTo = nameTo;
                metadataValue.clear();
                p = string(p, metadataValue);
                if (p < 0) {
                    return FALLBACK;
                }
                pair(nameFrom, nameTo);
            } else {
                p = string(p, null);
                if (p < 0) {
                    return FALLBACK;
                }
            }
            p = whitespace(p);
            if (p >= in.length) {
                return FALLBACK;
            }
            if (in[p] == '}') {
                return p + 1;
            }
            if (in[p] != ',') {
                return FALLBACK;
            }
            p = whitespace(p + 1);
        }
    }

    /** One {@code LabelPairAdapter}; proto3 leaves empty strings out. */
    private void pair(int nameFrom, int nameTo) {
        int nameLength = nameTo - nameFrom;
        int valueLength = metadataValue.length;
        int size = (nameLength > 0 ? 1 + varintSize(nameLength) + nameLength : 0)
                + (valueLength > 0 ? 1 + varintSize(valueLength) + valueLength : 0);
        metadata.add(ENTRY_METADATA);
        metadata.varint(size);
        if (nameLength > 0) {
            metadata.add(PAIR_NAME);
            metadata.varint(nameLength);
            metadata.add(in, nameFrom, nameTo);
        }
        if (valueLength > 0) {
            metadata.add(PAIR_VALUE);
            metadata.varint(valueLength);
            metadata.add(metadataValue.data, 0, valueLength);
        }
    }

    private int flags(int p) {
        if (p >= in.length || in[p] != '[') {
            return FALLBACK;
        }
        p = whitespace(p + 1);
        if (p < in.length && in[p] == ']') {
            return p + 1;
        }
        while (true) {
            p = oneOf(p, FLAGS);
            if (p < 0) {
                return FALLBACK;
            }
            p = whitespace(p);
            if (p >= in.length) {
                return FALLBACK;
            }
            if (in[p] == ']') {
                return p + 1;
            }
            if (in[p] != ',') {
                return FALLBACK;
            }
            p = whitespace(p + 1);
        }
    }

    /** A string without escapes equal to one of {@code allowed}. */
    private int oneOf(int p, byte[][] allowed) {
        int end = plainString(p);
        if (end < 0) {
            return FALLBACK;
        }
        for (byte[] label : allowed) {
            if (Arrays.equals(in, p + 1, end - 1, label, 0, label.length)) {
                return end;
            }
        }
        return FALLBACK;
    }

    /** A string of printable ASCII without escapes; returns the position after its closing quote. */
    private int plainString(int p) {
        if (p >= in.length || in[p] != '"') {
            return FALLBACK;
        }
        for (p++; p < in.length; p++) {
            byte b = in[p];
            if (b == '"') {
                return p + 1;
            }
            if (b < 0x20 || b == '\\' || b == 0x7F) {
                return FALLBACK;
            }
        }
        return FALLBACK;
    }

    /**
     * A JSON string at {@code p}; its content, unescaped, is appended to {@code out} (unless null).
     * Returns the position after the closing quote.
     */
    private int string(int p, GrowingBytes out) {
        if (p >= in.length || in[p] != '"') {
            return FALLBACK;
        }
        int run = ++p;
        while (true) {
            p = JsonBytes.plainRun(in, p);
            if (p >= in.length) {
                return FALLBACK;
            }
            byte b = in[p];
            if (b < 0) {
                int n = JsonBytes.utf8Sequence(in, p, in.length);
                if (n == 0) {
                    return FALLBACK;
                }
                p += n;
                continue;
            }
            if (out != null) {
                out.add(in, run, p);
            }
            if (b == '"') {
                return p + 1;
            }
            if (b != '\\') {
                return FALLBACK; // a control character, which JSON wants escaped
            }
            byte escaped = p + 1 < in.length ? in[p + 1] : 0;
            if (escaped == '"' || escaped == '\\' || escaped == '/') {
                // the commonest escapes (a JSON line in a JSON value): the character stands for itself
                run = p + 1;
                p += 2;
                continue;
            }
            p = escape(p + 1, out);
            if (p < 0) {
                return FALLBACK;
            }
            run = p;
        }
    }

    private int escape(int p, GrowingBytes out) {
        if (p >= in.length) {
            return FALLBACK;
        }
        int next = in[p] == 'u' ? p + 5 : p + 1;
        int c = switch (in[p]) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> hex(p + 1);
            default -> FALLBACK;
        };
        if (c >= 0xD800 && c <= 0xDBFF) {
            // Jackson writes characters beyond U+FFFF as an escaped surrogate pair
            int low = next + 6 <= in.length && in[next] == '\\' && in[next + 1] == 'u' ? hex(next + 2) : FALLBACK;
            if (low < 0xDC00 || low > 0xDFFF) {
                return FALLBACK; // a lone surrogate has no UTF-8 form: the reference decides
            }
            c = 0x10000 + (c - 0xD800 << 10) + (low - 0xDC00);
            next += 6;
        } else if (c < 0 || c >= 0xDC00 && c <= 0xDFFF) {
            return FALLBACK;
        }
        if (out != null) {
            if (c < 0x80) {
                out.add((byte) c);
            } else if (c < 0x800) {
                out.add((byte) (0xC0 | c >> 6));
                out.add((byte) (0x80 | c & 0x3F));
            } else if (c < 0x10000) {
                out.add((byte) (0xE0 | c >> 12));
                out.add((byte) (0x80 | c >> 6 & 0x3F));
                out.add((byte) (0x80 | c & 0x3F));
            } else {
                out.add((byte) (0xF0 | c >> 18));
                out.add((byte) (0x80 | c >> 12 & 0x3F));
                out.add((byte) (0x80 | c >> 6 & 0x3F));
                out.add((byte) (0x80 | c & 0x3F));
            }
        }
        return next;
    }

    private int hex(int p) {
        if (p + 4 > in.length) {
            return FALLBACK;
        }
        int c = 0;
        for (int i = p; i < p + 4; i++) {
            int d = Character.digit(in[i], 16);
            if (d < 0) {
                return FALLBACK;
            }
            c = c << 4 | d;
        }
        return c;
    }

    private int whitespace(int p) {
        while (p < in.length && (in[p] == ' ' || in[p] == '\n' || in[p] == '\r' || in[p] == '\t')) {
            p++;
        }
        return p;
    }

    /** The {@code EntryAdapter}: timestamp (always present), line (left out when empty), metadata. */
    private Transcoded entry() {
        long seconds = Math.floorDiv(timestamp, 1_000_000_000L);
        int nanos = (int) Math.floorMod(timestamp, 1_000_000_000L);
        int timestampSize = (seconds != 0 ? 1 + varintSize(seconds) : 0) + (nanos != 0 ? 1 + varintSize(nanos) : 0);
        int lineLength = line.length;
        int metadataAt = 2 + timestampSize + (lineLength > 0 ? 1 + varintSize(lineLength) + lineLength : 0);
        byte[] entry = new byte[metadataAt + metadata.length];
        int p = 0;
        entry[p++] = ENTRY_TIMESTAMP;
        entry[p++] = (byte) timestampSize; // at most 17: one byte
        if (seconds != 0) {
            entry[p++] = TIMESTAMP_SECONDS;
            p = varint(entry, p, seconds);
        }
        if (nanos != 0) {
            entry[p++] = TIMESTAMP_NANOS;
            p = varint(entry, p, nanos);
        }
        if (lineLength > 0) {
            entry[p++] = ENTRY_LINE;
            p = varint(entry, p, lineLength);
            System.arraycopy(line.data, 0, entry, p, lineLength);
        }
        System.arraycopy(metadata.data, 0, entry, metadataAt, metadata.length);
        return new Transcoded(timestamp, labelsFrom, labelsTo, labelsWereLikely, entry, metadataAt);
    }

    private static int varint(byte[] out, int p, long value) {
        while ((value & ~0x7FL) != 0) {
            out[p++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[p++] = (byte) value;
        return p;
    }

    private static int varintSize(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A byte buffer reused from one value to the next. */
    private static final class GrowingBytes {
        /** After a huge line, the buffer goes back to its first size rather than hold megabytes for good. */
        private static final int KEEP_AT_MOST = 1 << 20;
        private final int capacity;
        byte[] data;
        int length;

        GrowingBytes(int capacity) {
            this.capacity = capacity;
            data = new byte[capacity];
        }

        void clear() {
            length = 0;
            if (data.length > KEEP_AT_MOST) {
                data = new byte[capacity];
            }
        }

        void add(byte b) {
            room(1);
            data[length++] = b;
        }

        void add(byte[] source, int from, int to) {
            int n = to - from;
            room(n);
            System.arraycopy(source, from, data, length, n);
            length += n;
        }

        void varint(int value) {
            room(5);
            length = EntryTranscoder.varint(data, length, value);
        }

        private void room(int n) {
            if (length + n > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, length + n));
            }
        }
    }
}

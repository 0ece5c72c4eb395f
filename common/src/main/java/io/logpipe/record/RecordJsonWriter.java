package io.logpipe.record;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Writes {@link RawRecord}s and {@link EnrichedRecord}s as JSON by hand into a reused buffer. The
 * collector encodes every line it reads and the stream-processor every line it enriches, and a
 * generic JSON generator costs more per record than all the rest of their work; this writes the
 * same JSON value as the data-binding writer (RecordCodecTest compares them): fields in
 * declaration order, empty ones left out except {@code line}, control characters, quote and
 * backslash escaped, everything else as UTF-8. One instance per thread ({@link RecordCodec}
 * keeps one in a ThreadLocal).
 *
 * <p>The fields are written in three stretches so that {@link RawRecordTemplate} can encode the
 * two that stay the same for a whole file once: {@link #head} (kind, source and the {@code line}
 * name), then the line and {@code raw_bytes}, then {@link #tail} (attributes and labels).
 */
final class RecordJsonWriter {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final RecordFlag[] FLAGS = RecordFlag.values();
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int REMEMBERED_MAPS = 1024;
    private byte[] out = new byte[1024];
    private char[] chars = new char[256];
    private int size;
    // A record's maps are immutable, and the processor gives every record of a stream the same
    // label and metadata map instances: their members are encoded once, by identity.
    private final Map<Map<String, String>, byte[]> encodedMaps = new java.util.IdentityHashMap<>();
    private long cachedSeconds = -1;
    private byte[] cachedSecondsDigits;

    byte[] encode(RawRecord record) {
        size = 0;
        start(record.version(), record.timestampNanos());
        writeHead(record.kind(), record.source());
        string(record.line());
        if (record.rawBytes() != null && !record.rawBytes().isEmpty()) {
            ascii(",\"raw_bytes\":");
            string(record.rawBytes());
        }
        writeTail(record.attributes(), record.labels());
        return finish(record.flags());
    }

    byte[] encode(EnrichedRecord record) {
        size = 0;
        start(record.version(), record.timestampNanos());
        map("labels", record.labels());
        ascii(",\"level\":");
        string(record.level().label());
        ascii(",\"line\":");
        string(record.line());
        if (record.rawBytes() != null && !record.rawBytes().isEmpty()) {
            ascii(",\"raw_bytes\":");
            string(record.rawBytes());
        }
        map("metadata", record.metadata());
        if (record.source() != null && !record.source().isEmpty()) {
            ascii(",\"source\":");
            string(record.source());
        }
        return finish(record.flags());
    }

    /**
     * The record of {@code template} with this line, written straight from the line's bytes;
     * null when they are not valid UTF-8 (the caller then takes the {@link LineText} way, which
     * keeps the original bytes).
     */
    byte[] encode(RawRecordTemplate template, long timestampNanos, byte[] line, int offset, int length, Set<RecordFlag> flags) {
        size = 0;
        start(RecordCodec.FORMAT_VERSION, timestampNanos);
        bytes(template.head());
        if (!utf8String(line, offset, length)) {
            return null;
        }
        bytes(template.tail());
        return finish(flags);
    }

    /** {@code ,"kind":…,"source":…,"line":} */
    byte[] head(SourceKind kind, String source) {
        size = 0;
        writeHead(kind, source);
        return Arrays.copyOf(out, size);
    }

    /** {@code ,"attributes":{…},"labels":{…}}, empty when both maps are. */
    byte[] tail(Map<String, String> attributes, Map<String, String> labels) {
        size = 0;
        writeTail(attributes, labels);
        return Arrays.copyOf(out, size);
    }

    private void start(int version, long timestampNanos) {
        ascii("{\"v\":");
        number(version);
        ascii(",\"ts\":");
        number(timestampNanos);
    }

    private void writeHead(SourceKind kind, String source) {
        ascii(",\"kind\":");
        string(kind.label());
        ascii(",\"source\":");
        string(source);
        ascii(",\"line\":");
    }

    private void writeTail(Map<String, String> attributes, Map<String, String> labels) {
        map("attributes", attributes);
        map("labels", labels);
    }

    private byte[] finish(Set<RecordFlag> flags) {
        if (!flags.isEmpty()) {
            ascii(",\"flags\":[");
            boolean first = true;
            for (RecordFlag flag : FLAGS) { // declaration order, as the record's EnumSet iterates
                if (!flags.contains(flag)) {
                    continue;
                }
                if (!first) {
                    put((byte) ',');
                }
                string(flag.label());
                first = false;
            }
            put((byte) ']');
        }
        put((byte) '}');
        byte[] result = Arrays.copyOf(out, size);
        if (out.length > 1024 * 1024) {
            out = new byte[1024]; // do not keep huge buffers for one long line
            chars = new char[256];
        }
        return result;
    }

    private void map(String name, Map<String, String> map) {
        if (map.isEmpty()) {
            return;
        }
        ascii(",\"");
        ascii(name);
        ascii("\":{");
        byte[] members = encodedMaps.get(map);
        if (members != null) {
            bytes(members);
            put((byte) '}');
            return;
        }
        int from = size;
        boolean first = true;
        for (Map.Entry<String, String> entry : map.entrySet()) {
            if (!first) {
                put((byte) ',');
            }
            string(entry.getKey());
            put((byte) ':');
            string(entry.getValue());
            first = false;
        }
        if (encodedMaps.size() >= REMEMBERED_MAPS) {
            encodedMaps.clear();
        }
        encodedMaps.put(map, Arrays.copyOfRange(out, from, size));
        put((byte) '}');
    }

    private void number(long value) {
        if (value < NANOS_PER_SECOND) {
            ascii(Long.toString(value));
            return;
        }
        // a timestamp: the seconds change once a second, so their digits are kept; the nine
        // digits of the nanoseconds are written with int arithmetic
        long seconds = value / NANOS_PER_SECOND;
        if (seconds != cachedSeconds) {
            cachedSeconds = seconds;
            cachedSecondsDigits = Long.toString(seconds).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        bytes(cachedSecondsDigits);
        int nanos = (int) (value - seconds * NANOS_PER_SECOND);
        ensure(9);
        for (int p = size + 8; p >= size; p--) {
            out[p] = (byte) ('0' + nanos % 10);
            nanos /= 10;
        }
        size += 9;
    }

    private void ascii(String text) {
        int length = text.length();
        ensure(length);
        if (chars.length < length) {
            chars = new char[Math.max(length, chars.length * 2)];
        }
        text.getChars(0, length, chars, 0);
        for (int i = 0; i < length; i++) {
            out[size++] = (byte) chars[i];
        }
    }

    private void bytes(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, out, size, bytes.length);
        size += bytes.length;
    }

    private void string(String text) {
        int length = text.length();
        ensure(length * 6 + 2); // the longest escape (\\u00XX) is six bytes; a char never takes more in UTF-8
        if (chars.length < length) {
            chars = new char[Math.max(length, chars.length * 2)];
        }
        char[] cs = chars;
        text.getChars(0, length, cs, 0); // one bulk copy; per-char String.charAt is slow before the JIT's C2
        byte[] b = out;
        int p = size;
        b[p++] = '"';
        for (int i = 0; i < length; i++) {
            char c = cs[i];
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[p++] = (byte) c;
                } else {
                    p = escape(b, p, c);
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(cs[i + 1])) {
                int cp = Character.toCodePoint(c, cs[++i]);
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                // a lone surrogate is no character: write U+FFFD, as decoding invalid input does
                b[p++] = (byte) 0xEF;
                b[p++] = (byte) 0xBF;
                b[p++] = (byte) 0xBD;
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[p++] = '"';
        size = p;
    }

    /**
     * Writes UTF-8 bytes as a JSON string: what {@link #string} writes for the text they decode
     * to, without decoding them. Valid UTF-8 is copied as it is (runs of plain ASCII in one
     * bulk copy), so only the escapes differ from the input. False, with the output undefined,
     * when the bytes are not valid UTF-8 by the rules of the JDK's strict decoder (Unicode
     * table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
     */
    private boolean utf8String(byte[] src, int offset, int length) {
        int end = offset + length;
        ensure(length + 2); // grows again only for escapes: everything else is copied one to one
        byte[] b = out;
        int p = size;
        b[p++] = '"';
        int i = offset;
        while (i < end) {
            int run = JsonBytes.plainRun(src, i, end);
            if (run > i) {
                System.arraycopy(src, i, b, p, run - i);
                p += run - i;
                i = run;
                if (i == end) {
                    break;
                }
            }
            int c = src[i];
            if (c >= 0) {
                if (p + 6 + (end - i) > b.length) {
                    size = p;
                    ensure(6 + (end - i));
                    b = out;
                }
                p = escape(b, p, c);
                i++;
                continue;
            }
            int n = JsonBytes.utf8Sequence(src, i, end);
            if (n == 0) {
                return false;
            }
            System.arraycopy(src, i, b, p, n);
            p += n;
            i += n;
        }
        b[p++] = '"';
        size = p;
        return true;
    }

    /** The escape of an ASCII quote, backslash or control character {@code c} at {@code p}; returns the new end. */
    private static int escape(byte[] b, int p, int c) {
        b[p++] = '\\';
        switch (c) {
            case '"' -> b[p++] = '"';
            case '\\' -> b[p++] = '\\';
            case '\n' -> b[p++] = 'n';
            case '\r' -> b[p++] = 'r';
            case '\t' -> b[p++] = 't';
            case '\b' -> b[p++] = 'b';
            case '\f' -> b[p++] = 'f';
            default -> {
                b[p++] = 'u';
                b[p++] = '0';
                b[p++] = '0';
                b[p++] = HEX[c >> 4];
                b[p++] = HEX[c & 0xF];
            }
        }
        return p;
    }

    private void put(byte value) {
        ensure(1);
        out[size++] = value;
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }
}

package io.logpipe.record;

import java.util.Arrays;
import java.util.Map;

/**
 * Writes {@link RawRecord}s and {@link EnrichedRecord}s as JSON by hand into a reused buffer. The
 * collector encodes every line it reads and the stream-processor every line it enriches, and a
 * generic JSON generator costs more per record than all the rest of their work; this writes the
 * same JSON value as the data-binding writer (RecordCodecTest compares them): fields in
 * declaration order, empty ones left out except {@code line}, control characters, quote and
 * backslash escaped, everything else as UTF-8. One instance per thread ({@link RecordCodec}
 * keeps one in a ThreadLocal).
 */
final class RecordJsonWriter {
    private static final int REMEMBERED_MAPS = 1024;
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private byte[] out = new byte[1024];
    private char[] chars = new char[256];
    private int size;
    // A record's maps are immutable, and the collector (per file) and the processor (per stream)
    // give many records the same map instances: their members are encoded once, by identity.
    private final Map<Map<String, String>, byte[]> encodedMaps = new java.util.IdentityHashMap<>();

    byte[] encode(RawRecord record) {
        size = 0;
        ascii("{\"v\":");
        number(record.version());
        ascii(",\"ts\":");
        number(record.timestampNanos());
        ascii(",\"kind\":");
        string(record.kind().label());
        ascii(",\"source\":");
        string(record.source());
        ascii(",\"line\":");
        string(record.line());
        if (record.rawBytes() != null && !record.rawBytes().isEmpty()) {
            ascii(",\"raw_bytes\":");
            string(record.rawBytes());
        }
        map("attributes", record.attributes());
        map("labels", record.labels());
        flags(record.flags());
        put((byte) '}');
        return result();
    }

    byte[] encode(EnrichedRecord record) {
        size = 0;
        ascii("{\"v\":");
        number(record.version());
        ascii(",\"ts\":");
        number(record.timestampNanos());
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
        flags(record.flags());
        put((byte) '}');
        return result();
    }

    private byte[] result() {
        byte[] result = Arrays.copyOf(out, size);
        if (out.length > 1024 * 1024) {
            out = new byte[1024]; // do not keep huge buffers for one long line
            chars = new char[256];
        }
        return result;
    }

    private void flags(java.util.Set<RecordFlag> flags) {
        if (flags.isEmpty()) {
            return;
        }
        ascii(",\"flags\":[");
        boolean first = true;
        for (RecordFlag flag : flags) {
            if (!first) {
                put((byte) ',');
            }
            string(flag.label());
            first = false;
        }
        put((byte) ']');
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
            ensure(members.length + 1);
            System.arraycopy(members, 0, out, size, members.length);
            size += members.length;
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
        ascii(Long.toString(value));
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
                    continue;
                }
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

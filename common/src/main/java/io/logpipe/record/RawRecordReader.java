package io.logpipe.record;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a raw record's JSON by hand. The stream-processor decodes every record of
 * {@code logs.raw}, and even Jackson's streaming parser spent more there than the rest of the
 * enrichment: field names went through its symbol table, and every attribute map was parsed only
 * to be found equal to the one before ({@link RepeatedMaps} now finds it by its bytes).
 *
 * <p>It reads JSON as {@link RecordJsonWriter} writes it: an object without whitespace, string
 * values, the fields of {@link RawRecord} each at most once, in any order. Anything else (white
 * space, an unknown or repeated field, a number where a string belongs, invalid UTF-8, a bad escape)
 * gives null, and {@link RecordCodec} takes the data-binding path, which accepts what JSON allows
 * and explains what it refuses; RecordCodecTest pins both to the same results. One instance per thread.
 */
final class RawRecordReader {
    private static final int ABSENT = Integer.MIN_VALUE;

    private final RepeatedMaps maps = new RepeatedMaps();
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] in;
    private int at;
    private final StringBuilder unescaped = new StringBuilder();

    /** The record, or null when the value is not in the form described above (or is not a valid record). */
    RawRecord read(byte[] value) {
        in = value;
        at = 0;
        try {
            return readRecord();
        } catch (NotCanonical | IndexOutOfBoundsException e) {
            return null;
        } finally {
            in = null;
        }
    }

    private RawRecord readRecord() {
        expect('{');
        int version = ABSENT;
        long ts = 0;
        boolean hasTs = false;
        SourceKind kind = null;
        String source = null;
        String line = null;
        String rawBytes = null;
        Map<String, String> attributes = null;
        Map<String, String> labels = null;
        Set<RecordFlag> flags = null;
        if (in[at] == '}') {
            throw NotCanonical.INSTANCE;
        }
        do {
            int nameFrom = at + 1;
            skipString();
            int nameLength = at - nameFrom - 1;
            expect(':');
            switch (fieldOf(nameFrom, nameLength)) {
                case 'v' -> {
                    once(version == ABSENT);
                    long v = number();
                    version = v == (int) v ? (int) v : ABSENT - 1;
                }
                case 't' -> {
                    once(!hasTs);
                    ts = number();
                    hasTs = true;
                }
                case 'k' -> {
                    once(kind == null);
                    kind = kindOf(string());
                }
                case 's' -> {
                    once(source == null);
                    source = string();
                }
                case 'l' -> {
                    once(line == null);
                    line = string();
                }
                case 'r' -> {
                    once(rawBytes == null);
                    rawBytes = string();
                }
                case 'a' -> {
                    once(attributes == null);
                    attributes = map(source);
                }
                case 'L' -> {
                    once(labels == null);
                    labels = map(source);
                }
                case 'f' -> {
                    once(flags == null);
                    flags = flags();
                }
                default -> throw NotCanonical.INSTANCE;
            }
        } while (next(',', '}'));
        if (at != in.length || version != RecordCodec.FORMAT_VERSION || !hasTs || kind == null || source == null || line == null) {
            throw NotCanonical.INSTANCE;
        }
        return new RawRecord(version, ts, kind, source, line, rawBytes, attributes, labels, flags);
    }

    /** One letter for each field this reader knows ('L' for labels), or 0. */
    private char fieldOf(int from, int length) {
        return switch (length) {
            case 1 -> in[from] == 'v' ? 'v' : 0;
            case 2 -> is(from, "ts") ? 't' : 0;
            case 4 -> is(from, "kind") ? 'k' : is(from, "line") ? 'l' : 0;
            case 5 -> is(from, "flags") ? 'f' : 0;
            case 6 -> is(from, "source") ? 's' : is(from, "labels") ? 'L' : 0;
            case 9 -> is(from, "raw_bytes") ? 'r' : 0;
            case 10 -> is(from, "attributes") ? 'a' : 0;
            default -> 0;
        };
    }

    private boolean is(int from, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (in[from + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static void once(boolean first) {
        if (!first) {
            throw NotCanonical.INSTANCE;
        }
    }

    private static SourceKind kindOf(String label) {
        try {
            return SourceKind.fromLabel(label);
        } catch (IllegalArgumentException e) {
            throw NotCanonical.INSTANCE;
        }
    }

    /** An integer as the writer writes it: an optional minus, then digits without a leading zero, within a long. */
    private long number() {
        boolean negative = in[at] == '-';
        if (negative) {
            at++;
        }
        int from = at;
        long value = 0;
        while (at < in.length && in[at] >= '0' && in[at] <= '9') {
            int digit = in[at++] - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) {
                throw NotCanonical.INSTANCE;
            }
            value = value * 10 + digit;
        }
        int digits = at - from;
        if (digits == 0 || (digits > 1 && in[from] == '0')) {
            throw NotCanonical.INSTANCE;
        }
        return negative ? -value : value;
    }

    /**
     * The map of strings at {@code at}, shared with earlier records whose map had the same bytes;
     * {@code source} (null when the record has not named it yet) finds them without reading the map.
     */
    private Map<String, String> map(String source) {
        int from = at;
        if (source != null) {
            RepeatedMaps.Known known = maps.recent(source, in, from);
            if (known != null) {
                at = from + known.text().length;
                return known.map();
            }
        }
        expect('{');
        if (in[at] == '}') {
            at++;
            return Map.of();
        }
        do {
            skipString();
            expect(':');
            skipString();
        } while (next(',', '}'));
        return maps.get(in, from, at, source, () -> decodeMap(from));
    }

    /** The members of the map at {@code from}, already checked to be strings. */
    private Map<String, String> decodeMap(int from) {
        int end = at;
        at = from + 1;
        TreeMap<String, String> members = new TreeMap<>();
        do {
            String name = string();
            expect(':');
            if (members.put(name, string()) != null) {
                throw NotCanonical.INSTANCE; // a repeated name: let data binding decide
            }
        } while (next(',', '}'));
        at = end;
        return RawRecord.sorted(members);
    }

    private Set<RecordFlag> flags() {
        expect('[');
        Set<RecordFlag> flags = EnumSet.noneOf(RecordFlag.class);
        if (in[at] == ']') {
            at++;
            return flags;
        }
        do {
            try {
                flags.add(RecordFlag.fromLabel(string()));
            } catch (IllegalArgumentException e) {
                throw NotCanonical.INSTANCE;
            }
        } while (next(',', ']'));
        return flags;
    }

    /** Moves past a string, checking its escapes; the bytes inside are checked when decoded. */
    private void skipString() {
        expect('"');
        while (true) {
            at = JsonBytes.plainRun(in, at);
            byte b = in[at++];
            if (b == '"') {
                return;
            }
            if (b == '\\') {
                at++;
            } else if (b >= 0) {
                throw NotCanonical.INSTANCE; // a control character, which JSON wants escaped
            }
        }
    }

    private String string() {
        expect('"');
        int from = at;
        boolean ascii = true;
        boolean escapes = false;
        while (true) {
            at = JsonBytes.plainRun(in, at);
            byte b = in[at];
            if (b == '"') {
                break;
            }
            if (b == '\\') {
                escapes = true;
                at += 2;
            } else if (b < 0) {
                ascii = false;
                at++;
            } else {
                throw NotCanonical.INSTANCE; // a control character, which JSON wants escaped
            }
        }
        int to = at++;
        if (!escapes) {
            return ascii ? new String(in, from, to - from, StandardCharsets.ISO_8859_1) : utf8(from, to);
        }
        return unescape(from, to);
    }

    private String unescape(int from, int to) {
        StringBuilder text = unescaped;
        text.setLength(0);
        int plain = from;
        for (int i = from; i < to; i++) {
            if (in[i] != '\\') {
                continue;
            }
            text.append(utf8(plain, i));
            char escape = (char) in[++i];
            switch (escape) {
                case '"', '\\', '/' -> text.append(escape);
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'u' -> {
                    if (i + 4 >= to) {
                        throw NotCanonical.INSTANCE;
                    }
                    text.append((char) hex(i + 1));
                    i += 4;
                }
                default -> throw NotCanonical.INSTANCE;
            }
            plain = i + 1;
        }
        text.append(utf8(plain, to));
        return text.toString();
    }

    private int hex(int from) {
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int digit = Character.digit(in[i], 16);
            if (digit < 0) {
                throw NotCanonical.INSTANCE;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** Strict UTF-8: bytes that are not valid UTF-8 make the record take the data-binding path. */
    private String utf8(int from, int to) {
        for (int i = from; i < to; i++) {
            if (in[i] < 0) {
                try {
                    CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(in, from, to - from));
                    return chars.toString();
                } catch (CharacterCodingException e) {
                    throw NotCanonical.INSTANCE;
                }
            }
        }
        return new String(in, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private void expect(char c) {
        if (in[at++] != c) {
            throw NotCanonical.INSTANCE;
        }
    }

    /** True after a {@code more} byte, false after an {@code end} byte; anything else is not canonical. */
    private boolean next(char more, char end) {
        byte b = in[at++];
        if (b == more) {
            return true;
        }
        if (b == end) {
            return false;
        }
        throw NotCanonical.INSTANCE;
    }

    /** The value is not in the form this reader takes; thrown without a stack trace, caught in {@link #read}. */
    private static final class NotCanonical extends RuntimeException {
        static final NotCanonical INSTANCE = new NotCanonical();

        private NotCanonical() {
            super(null, null, false, false);
        }
    }
}

package io.logpipe.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hand-written reader must give what data binding gives, for every value, or step aside. */
class RawRecordReaderTest {
    private static final String ALPHABET = "abc XYZ09=:,{}[]\"\\/\n\r\t\b\f\u0001\u001f\u007f\u00e9\u00ff\u4e2d\uFFFD";

    @Test
    void readsWhatTheWriterWritesAsDataBindingDoes() {
        Random random = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            RawRecord record = randomRecord(random);
            byte[] value = RecordCodec.encode(record);

            RawRecord byHand = new RawRecordReader().read(value);

            assertThat(byHand).as(new String(value, StandardCharsets.UTF_8)).isEqualTo(record)
                    .isEqualTo(RecordCodec.decodeRawByDataBinding(value));
        }
    }

    @Test
    void everyCutOfAValueGivesWhatDataBindingGives() {
        RawRecord record = RawRecord.of(-1_764_064_800_123_456_789L, SourceKind.JOURNALD, "h/ollama.service",
                new LineText("a \"quoted\" \\ line\u00e9\uD83D\uDE00", null),
                Map.of("unit", "ollama.service", "priority", "3"), Map.of("job", "systemd-journal"), Set.of(RecordFlag.JOINED));
        byte[] value = RecordCodec.encode(record);
        for (int length = 0; length < value.length; length++) {
            byte[] cut = Arrays.copyOf(value, length);
            assertThat(outcome(cut)).as("first %d bytes", length).isEqualTo(reference(cut));
        }
    }

    @Test
    void oneReaderFollowsEachSourcesChangingMapsAsDataBindingDoes() {
        // maps that begin alike: one a prefix of another's members, values that extend each other
        List<Map<String, String>> variants = List.of(Map.of(), Map.of("a", "1"), Map.of("a", "1", "b", "2"), Map.of("a", "10"),
                Map.of("a", "1", "b", "2", "c", "\u00e9\"q\""), Map.of("priority", "3", "unit", "u"), Map.of("priority", "6", "unit", "u"));
        List<String> sources = List.of("h/journald/u", "uid/c", "h/var/log/syslog");
        RawRecordReader reader = new RawRecordReader();
        Random random = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            RawRecord record = RawRecord.of(i, SourceKind.JOURNALD, sources.get(random.nextInt(sources.size())),
                    new LineText("line " + i, null), variants.get(random.nextInt(variants.size())),
                    variants.get(random.nextInt(variants.size())), null);
            byte[] value = RecordCodec.encode(record);

            assertThat(reader.read(value)).as(new String(value, StandardCharsets.UTF_8)).isEqualTo(record)
                    .isEqualTo(RecordCodec.decodeRawByDataBinding(value));
        }
    }

    @Test
    void aSourcesRepeatedMapIsSharedNotBuiltAgain() {
        RawRecordReader reader = new RawRecordReader();
        Map<String, String> attributes = Map.of("namespace", "homelab", "pod", "n8n-0");

        RawRecord first = reader.read(RecordCodec.encode(RawRecord.of(1, SourceKind.POD, "uid/n8n", new LineText("a", null), attributes,
                null, null)));
        RawRecord second = reader.read(RecordCodec.encode(RawRecord.of(2, SourceKind.POD, "uid/n8n", new LineText("b", null), attributes,
                null, null)));

        assertThat(second.attributes()).isEqualTo(attributes).isSameAs(first.attributes());
    }

    @Test
    void everyCutOfAValueWhoseMapsTheReaderKnowsGivesWhatDataBindingGives() {
        RawRecordReader reader = new RawRecordReader();
        RawRecord record = RawRecord.of(5, SourceKind.POD, "uid/n8n", new LineText("l", null),
                Map.of("namespace", "homelab", "pod", "n8n-0"), Map.of("job", "pods"), null);
        byte[] value = RecordCodec.encode(record);
        assertThat(reader.read(value)).isEqualTo(record);
        for (int length = 0; length < value.length; length++) {
            byte[] cut = Arrays.copyOf(value, length);
            assertThat(reader.read(cut)).as("first %d bytes", length).isNull();
        }
    }

    @Test
    void unusualButValidJsonIsLeftToDataBinding() {
        String[] values = {
            // white space, another field order, escapes the writer does not use, a repeated field
            "{ \"v\": 1, \"ts\": 5, \"kind\": \"pod\", \"source\": \"s\", \"line\": \"l\" }",
            "{\"line\":\"\\u0041\\/b\",\"source\":\"s\",\"kind\":\"file\",\"ts\":-1,\"v\":1}",
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\",\"line\":\"m\"}",
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\",\"attributes\":{\"a\":\"1\",\"a\":\"2\"}}",
            "{\"v\":1.0,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\"}",
            "{\"v\":1,\"ts\":05,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\"}",
            "{\"v\":1,\"ts\":99999999999999999999,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\"}",
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\",\"flags\":[\"sideways\"]}",
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\",\"flags\":[]}",
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\",\"raw_bytes\":\"\"}",
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\"} ",
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"tab\there\"}",
            "{}",
        };
        for (String text : values) {
            byte[] value = text.getBytes(StandardCharsets.UTF_8);
            assertThat(outcome(value)).as(text).isEqualTo(reference(value));
        }
    }

    @Test
    void invalidUtf8InTheValueIsLeftToDataBinding() {
        byte[] value = RecordCodec.encode(RawRecord.of(5, SourceKind.FILE, "s", new LineText("abc\u00e9", null), null, null, null));
        int e9 = indexOf(value, (byte) 0xA9);
        value[e9] = (byte) 0x28; // 0xC3 0x28: a lead byte without its continuation

        assertThat(new RawRecordReader().read(value)).isNull();
        assertThat(outcome(value)).isEqualTo(reference(value)).asString().contains("UTF-8");
    }

    @Test
    void aTenMegabyteLineIsRead() {
        char[] chars = new char[10 * 1024 * 1024];
        Arrays.fill(chars, 'x');
        chars[5] = '"';
        RawRecord record = RawRecord.of(5, SourceKind.POD, "s", new LineText(new String(chars), null), Map.of("pod", "p"), null, null);

        assertThat(new RawRecordReader().read(RecordCodec.encode(record))).isEqualTo(record);
    }

    private static RawRecord randomRecord(Random random) {
        Map<String, String> attributes = new HashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            attributes.put(randomText(random, 8), randomText(random, 12));
        }
        Map<String, String> labels = random.nextBoolean() ? Map.of() : Map.of("job", randomText(random, 6));
        SourceKind kind = SourceKind.values()[random.nextInt(SourceKind.values().length)];
        long ts = random.nextLong();
        LineText line = random.nextInt(10) == 0
                ? LineText.decode(new byte[] {'a', (byte) 0xC3, (byte) 0x28, (byte) random.nextInt(256)})
                : new LineText(randomText(random, 80), null);
        return RawRecord.of(ts, kind, randomText(random, 10), line, attributes, labels,
                random.nextBoolean() ? Set.of() : Set.of(RecordFlag.values()[random.nextInt(RecordFlag.values().length)]));
    }

    private static String randomText(Random random, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            int pick = random.nextInt(ALPHABET.length() + 2);
            if (pick == ALPHABET.length()) {
                text.append("\uD83D\uDE00"); // a surrogate pair
            } else if (pick == ALPHABET.length() + 1) {
                text.append((char) (' ' + random.nextInt(95)));
            } else {
                text.append(ALPHABET.charAt(pick));
            }
        }
        return text.toString();
    }

    private static int indexOf(byte[] value, byte b) {
        for (int i = 0; i < value.length; i++) {
            if (value[i] == b) {
                return i;
            }
        }
        throw new AssertionError("no byte " + b);
    }

    private static Object outcome(byte[] value) {
        try {
            return RecordCodec.decodeRaw(value);
        } catch (RecordFormatException e) {
            return e.getMessage();
        }
    }

    private static Object reference(byte[] value) {
        try {
            return RecordCodec.decodeRawByDataBinding(value);
        } catch (RecordFormatException e) {
            return e.getMessage();
        }
    }
}

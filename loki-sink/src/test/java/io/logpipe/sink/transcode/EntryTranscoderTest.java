package io.logpipe.sink.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.Level;
import io.logpipe.record.LineText;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.RecordFlag;
import io.logpipe.record.RecordFormatException;
import io.logpipe.sink.admission.LineLimit;
import io.logpipe.sink.push.LokiEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The transcoder against the reference path (RecordCodec.decodeEnriched, LineLimit, LokiEntry's
 * builder encoding): every value it takes gives the same entry bytes as the reference, every
 * value the reference refuses it leaves to the reference, and the plain values logpipe writes are
 * all taken (else the fast path would be silently unused).
 */
class EntryTranscoderTest {
    private static final long TS = 1_764_064_800_123_456_789L;
    private static final Map<String, String> LABELS = Map.of("app", "n8n", "namespace", "homelab", "level", "error");
    private static final LineLimit LOKI_LIMIT = new LineLimit(LineLimit.LOKI_DEFAULT_MAX_BYTES, null);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EntryTranscoder transcoder = new EntryTranscoder(LOKI_LIMIT.maxBytes());

    /** What the sink sent before the transcoder: null when the reference refuses the value. */
    private static LokiEntry<Void> reference(byte[] value, LineLimit lines) {
        EnrichedRecord record;
        try {
            record = RecordCodec.decodeEnriched(value);
        } catch (RecordFormatException refused) {
            return null;
        }
        return new LokiEntry<>("", record.timestampNanos(), lines.fit(record.line()), record.metadata(), null);
    }

    /** The transcoder's answer, checked against the reference whenever it gives one. */
    private static Transcoded agreeing(EntryTranscoder transcoder, byte[] value, LineLimit lines) throws IOException {
        Transcoded fast = transcoder.transcode(value);
        if (fast != null) {
            String shown = new String(value, 0, Math.min(value.length, 300), StandardCharsets.UTF_8);
            LokiEntry<Void> expected = reference(value, lines);
            assertThat(expected).as("the reference refuses what the transcoder took: %s", shown).isNotNull();
            assertThat(fast.entry()).as(shown).isEqualTo(expected.encoded());
            assertThat(fast.metadataAt()).as(shown).isEqualTo(expected.metadataAt());
            assertThat(fast.timestampNanos()).as(shown).isEqualTo(expected.timestampNanos());
            Map<String, String> labels = JSON.readValue(Arrays.copyOfRange(value, fast.labelsFrom(), fast.labelsTo()),
                    new TypeReference<Map<String, String>>() { });
            assertThat(labels).as(shown).isEqualTo(RecordCodec.decodeEnriched(value).labels());
            assertThat(fast.labelsWereLikely()).isFalse();

            // told what the labels likely are, right or wrong, it gives the same entry
            byte[] labelsJson = Arrays.copyOfRange(value, fast.labelsFrom(), fast.labelsTo());
            Transcoded hinted = transcoder.transcode(value, labelsJson);
            assertThat(hinted).as(shown).isNotNull();
            assertThat(hinted.labelsWereLikely()).isTrue();
            assertThat(sameEntry(hinted, fast)).as(shown).isTrue();
            for (String wrong : List.of("{}", "{\"app\":\"n8n\"}", "{\"app\":\"n8n\",\"level\":\"info\"}")) {
                Transcoded misled = transcoder.transcode(value, wrong.getBytes(StandardCharsets.UTF_8));
                if (!Arrays.equals(labelsJson, wrong.getBytes(StandardCharsets.UTF_8))) {
                    assertThat(misled).as(shown).isNotNull();
                    assertThat(misled.labelsWereLikely()).isFalse();
                    assertThat(sameEntry(misled, fast)).as(shown).isTrue();
                }
            }
        }
        return fast;
    }

    private static boolean sameEntry(Transcoded a, Transcoded b) {
        return a.timestampNanos() == b.timestampNanos() && a.labelsFrom() == b.labelsFrom() && a.labelsTo() == b.labelsTo()
                && Arrays.equals(a.entry(), b.entry()) && a.metadataAt() == b.metadataAt();
    }

    private Transcoded agreeing(byte[] value) throws IOException {
        return agreeing(transcoder, value, LOKI_LIMIT);
    }

    private static EnrichedRecord record(String line, Map<String, String> metadata) {
        return new EnrichedRecord(1, TS, LABELS, Level.ERROR, line, null, metadata, "uid/n8n", null);
    }

    @Test
    void everyPlainRecordLogpipeWritesIsTranscodedToTheReferenceBytes() throws IOException {
        LineText invalid = LineText.decode(new byte[] {'o', 'k', ' ', (byte) 0xC3, 0x28, ' ', (byte) 0xFF, 'x'});
        assertThat(invalid.valid()).isFalse();
        List<EnrichedRecord> records = List.of(
                record("{\"level\":\"error\",\"msg\":\"Workflow \\\"x\\\" failed\"}", Map.of("pod_uid", "7f9c", "stream", "stderr")),
                record("tabs\tnewlines\n\r control \u0001\u001f del \u007f slash / backslash \\ quote \"", Map.of()),
                record("ünïcödé 日本語 emoji 😀 U+FFFF \uFFFF", Map.of("note", "é😀\"\\\n", "empty", "")),
                record("", Map.of()),
                record(" ", Map.of("a", "1", "b", "2", "c", "3", "d", "4")),
                new EnrichedRecord(1, 0, Map.of("job", "systemd-journal"), null, "epoch", null, null, null, null),
                new EnrichedRecord(1, -1_500_000_001L, LABELS, Level.INFO, "before the epoch", null, null, null, null),
                new EnrichedRecord(1, Long.MAX_VALUE, LABELS, Level.DEBUG, "far", null, null, null, Set.of(RecordFlag.JOINED)),
                new EnrichedRecord(1, 7, Map.of("weird", "va\"l\\ue ü"), Level.UNKNOWN, "x", null, null, "src", EnumSet.allOf(RecordFlag.class)),
                new EnrichedRecord(1, TS, LABELS, Level.WARN, invalid.text(), invalid.rawBytesBase64(), Map.of("pid", "42"), "file",
                        Set.of(RecordFlag.INVALID_UTF8)));
        for (Level level : Level.values()) {
            assertThat(agreeing(RecordCodec.encode(new EnrichedRecord(1, TS, LABELS, level, "l", null, null, null, null)))).isNotNull();
        }
        for (EnrichedRecord record : records) {
            byte[] value = RecordCodec.encode(record);
            assertThat(agreeing(value)).as(new String(value, StandardCharsets.UTF_8)).isNotNull();
        }
    }

    @Test
    void randomRecordsAreTranscodedToTheReferenceBytes() throws IOException {
        Random random = new Random(20261125);
        for (int i = 0; i < 3000; i++) {
            Map<String, String> metadata = new LinkedHashMap<>();
            for (int m = random.nextInt(4); m > 0; m--) {
                metadata.put("k" + random.nextInt(50), text(random, 20));
            }
            Map<String, String> labels = Map.of("app", text(random, 8), "level", "info");
            byte[] value = RecordCodec.encode(new EnrichedRecord(1, random.nextLong(), labels, Level.INFO,
                    text(random, random.nextInt(10) == 0 ? 2000 : 200), null, metadata, null, null));
            assertThat(agreeing(value)).isNotNull();
        }
    }

    /** Any UTF-16 text without lone surrogates: ASCII, controls, 2-, 3- and 4-byte characters. */
    private static String text(Random random, int maxLength) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
            int kind = random.nextInt(10);
            int c = kind < 5 ? 0x20 + random.nextInt(0x5F) : kind == 5 ? random.nextInt(0x20) : kind == 6 ? 0x80 + random.nextInt(0x780)
                    : kind == 7 ? 0x800 + random.nextInt(0xD800 - 0x800) : kind == 8 ? 0xE000 + random.nextInt(0x2000)
                    : 0x10000 + random.nextInt(0x100000);
            s.appendCodePoint(c);
        }
        return s.toString();
    }

    @Test
    void otherSpellingsOfAPlainRecordGiveTheSameEntry() throws IOException {
        String labels = "\"labels\":{\"app\":\"n8n\",\"level\":\"info\"}";
        for (String value : List.of(
                " {\n\"v\" : 1 ,\t\"ts\":42,\r" + labels + ",\"line\":\"spaced\" , \"metadata\" : { \"a\" : \"b\" } }\n",
                "{\"line\":\"reordered\",\"metadata\":{\"pid\":\"1\"}," + labels + ",\"ts\":42,\"v\":1}",
                "{\"v\":1,\"ts\":42," + labels + ",\"line\":\"\\u00e9\\u65e5\\u0000\\/\\b\\f \\ud83d\\ude00 \\uDBFF\\uDFFF\"}",
                "{\"v\":1,\"ts\":-0," + labels + ",\"line\":\"minus zero\",\"metadata\":{},\"flags\":[]}",
                "{\"v\":1,\"ts\":42,\"labels\":{},\"line\":\"no labels: the stream check refuses it, not the decoder\"}")) {
            assertThat(agreeing(value.getBytes(StandardCharsets.UTF_8))).as(value).isNotNull();
        }
    }

    @Test
    void whatTheTranscoderDoesNotKnowIsLeftToTheReference() throws IOException {
        String labels = "\"labels\":{\"app\":\"n8n\"}";
        List<String> values = List.of(
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\",\"metadata\":{\"b\":\"1\",\"a\":\"2\"}}", // not in name order
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\",\"metadata\":{\"a\":\"1\",\"a\":\"2\"}}", // repeated name
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\",\"metadata\":{\"\\u0061\":\"1\"}}", // escaped name
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\",\"metadata\":{\"é\":\"1\"}}", // name not ASCII
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"lone \\ud83d\"}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"lone \\ud83d\\u0041\"}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"reversed \\ude00\\ud83d\"}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\",\"line\":\"y\"}", // repeated field
                "{\"v\":2,\"ts\":1," + labels + ",\"line\":\"x\"}",
                "{\"v\":1.0,\"ts\":1," + labels + ",\"line\":\"x\"}",
                "{\"v\":10,\"ts\":1," + labels + ",\"line\":\"x\"}",
                "{\"v\":1,\"ts\":1.5," + labels + ",\"line\":\"x\"}",
                "{\"v\":1,\"ts\":1e9," + labels + ",\"line\":\"x\"}",
                "{\"v\":1,\"ts\":012," + labels + ",\"line\":\"x\"}",
                "{\"v\":1,\"ts\":99999999999999999999," + labels + ",\"line\":\"x\"}",
                "{\"v\":1,\"ts\":-9223372036854775808," + labels + ",\"line\":\"x\"}",
                "{\"v\":1,\"ts\":\"1\"," + labels + ",\"line\":\"x\"}",
                "{\"v\":1,\"ts\":-," + labels + ",\"line\":\"x\"}",
                "{\"v\":1,\"ts\":1," + labels + "}",
                "{\"v\":1,\"ts\":1,\"line\":\"x\"}",
                "{\"v\":1," + labels + ",\"line\":\"x\"}",
                "{\"ts\":1," + labels + ",\"line\":\"x\"}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\",\"extra\":1}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":null}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\",\"source\":null}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\",\"raw_bytes\":7}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\",\"level\":\"loud\"}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\",\"level\":\"INFO\"}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\",\"flags\":[\"bogus\"]}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\",\"flags\":\"joined\"}",
                "{\"v\":1,\"ts\":1,\"labels\":{\"app\":7},\"line\":\"x\"}",
                "{\"v\":1,\"ts\":1,\"labels\":[\"app\"],\"line\":\"x\"}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"bad escape \\a\"}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"short escape \\u12\"}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"unterminated}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\"} trailing",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\",}",
                "{\"v\":1,\"ts\":1," + labels + ",\"line\":\"x\"",
                "{}", "[1,2]", "not json", "", "null");
        for (String value : values) {
            assertThat(agreeing(value.getBytes(StandardCharsets.UTF_8))).as(value).isNull();
        }
        assertThat(transcoder.transcode(null)).isNull();
    }

    @Test
    void bytesThatAreNotWellFormedUtf8AreLeftToTheReference() throws IOException {
        byte[][] bad = {
            {(byte) 0xC3, 0x28}, // a lead byte without its continuation
            {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate in UTF-8
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, // cut short
            {(byte) 0x80}, // a continuation alone
            {(byte) 0xFF},
            {0x01}, // a raw control character
        };
        for (byte[] inLine : bad) {
            for (String field : List.of("line", "source")) {
                byte[] head = ("{\"v\":1,\"ts\":1,\"labels\":{\"app\":\"n8n\"},\"" + field + "\":\"a").getBytes(StandardCharsets.UTF_8);
                byte[] tail = ("z\"" + (field.equals("line") ? "" : ",\"line\":\"x\"") + "}").getBytes(StandardCharsets.UTF_8);
                byte[] value = new byte[head.length + inLine.length + tail.length];
                System.arraycopy(head, 0, value, 0, head.length);
                System.arraycopy(inLine, 0, value, head.length, inLine.length);
                System.arraycopy(tail, 0, value, head.length + inLine.length, tail.length);
                assertThat(agreeing(value)).as(Arrays.toString(inLine) + " in " + field).isNull();
            }
        }
    }

    @Test
    void linesOverTheLimitAreLeftToTheReferenceWhichTruncatesThem() throws IOException {
        String fits = "é".repeat(LOKI_LIMIT.maxBytes() / 2);
        assertThat(agreeing(RecordCodec.encode(record(fits, Map.of())))).isNotNull();
        byte[] tooLong = RecordCodec.encode(record(fits + "x", Map.of()));
        assertThat(agreeing(tooLong)).isNull();
        assertThat(reference(tooLong, LOKI_LIMIT).encoded().length).isLessThan(LOKI_LIMIT.maxBytes() + 64);
    }

    @Test
    void tenMegabyteLinesAreTranscodedWhenTheLimitAllowsThem() throws IOException {
        LineLimit generous = new LineLimit(16 << 20, null);
        EntryTranscoder transcoder = new EntryTranscoder(generous.maxBytes());
        String big = "0123456789\"ü😀\t".repeat(600_000); // over 10 MB of UTF-8, escapes included
        byte[] value = RecordCodec.encode(record(big, Map.of("pod_uid", "abc")));
        assertThat(agreeing(transcoder, value, generous)).isNotNull();
        // the buffers that grew for it serve the next value correctly
        assertThat(agreeing(transcoder, RecordCodec.encode(record("small", Map.of())), generous)).isNotNull();
        assertThat(agreeing(value)).as("with Loki's limit the reference truncates it").isNull();
    }

    private static final String SYNTAX = "{}[]\",:\\ 0123456789-.eEtrufalsnu";

    @Test
    void damagedValuesAreNeverTakenWhereTheReferenceDisagrees() throws IOException {
        Random random = new Random(7);
        List<byte[]> originals = new ArrayList<>();
        originals.add(RecordCodec.encode(record("{\"msg\":\"a \\\"b\\\"\"} ü😀", Map.of("pod_uid", "7f9c", "stream", "stderr"))));
        originals.add(RecordCodec.encode(new EnrichedRecord(1, TS, LABELS, Level.WARN, "x", "AAE=", null, "src", Set.of(RecordFlag.SPLIT))));
        int taken = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] value = originals.get(i % originals.size()).clone();
            for (int d = 1 + random.nextInt(3); d > 0 && value.length > 0; d--) {
                int at = random.nextInt(value.length);
                switch (random.nextInt(3)) {
                    case 0 -> value[at] = (byte) random.nextInt(256);
                    case 1 -> value[at] = (byte) SYNTAX.charAt(random.nextInt(SYNTAX.length()));
                    default -> value = Arrays.copyOf(value, at);
                }
            }
            if (agreeing(value) != null) {
                taken++;
            }
        }
        assertThat(taken).as("some damaged values are still plain records").isPositive();
    }
}

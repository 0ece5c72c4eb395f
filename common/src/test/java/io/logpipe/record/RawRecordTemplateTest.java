package io.logpipe.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The template writes lines straight from their bytes; these pin it to the record path
 * ({@link RecordCodec#encode(RawRecord)}, itself pinned to data binding): the same bytes for
 * every valid line, and a refusal for exactly the lines {@link LineText} finds invalid.
 */
class RawRecordTemplateTest {
    private static final long TS = 1_764_064_800_123_456_789L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RawRecordTemplate POD = new RawRecordTemplate(SourceKind.POD, "uid-1/n8n/\u00e9\"x",
            Map.of("namespace", "homelab", "pod", "n8n-0", "z", "\u4e2d\uD83D\uDE00\t\u0001"), Map.of("job", "kubernetes-pods"));
    private static final RawRecordTemplate BARE = new RawRecordTemplate(SourceKind.FILE, "h:/var/log/syslog", null, null);

    @Test
    void validLinesAreWrittenAsTheRecordPathWritesThem() throws Exception {
        String[] lines = {
            "", "plain ascii line", "quote \" backslash \\ slash / del \u007f",
            "controls \u0000\u0001\u0008\t\n\u000b\f\r\u001e\u001f end",
            "two bytes \u00e9\u00ff\u07ff", "three bytes \u0800\u4e2d\ufffd\ufffe\uffff", "four bytes \uD800\uDC00\uD83D\uDE00\uDBFF\uDFFF",
            "\"", "\\", "\u00e9", "trailing control\u0001",
        };
        for (RawRecordTemplate template : new RawRecordTemplate[] {POD, BARE}) {
            for (Set<RecordFlag> flags : flagSets()) {
                for (String line : lines) {
                    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                    byte[] encoded = template.encode(TS, bytes, 0, bytes.length, flags);
                    RawRecord record = template.record(TS, LineText.decode(bytes), flags);
                    assertThat(encoded).as(line).isEqualTo(RecordCodec.encode(record));
                    assertThat(JSON.readTree(encoded)).isEqualTo(JSON.readTree(RecordCodec.encodeByDataBinding(record)));
                    assertThat(RecordCodec.decodeRaw(encoded)).isEqualTo(record);
                }
            }
        }
    }

    @Test
    void invalidUtf8IsRefusedSoTheCallerKeepsTheOriginalBytes() {
        int[][] invalid = {
            {0x80}, {0xBF}, {0xC0, 0x80}, {0xC1, 0xBF}, {0xC2}, {0xC2, 0x41}, {0xE0, 0x80, 0x80}, {0xE0, 0x9F, 0xBF},
            {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF}, {0xE1, 0x80}, {0xE1, 0x80, 0x41}, {0xF0, 0x80, 0x80, 0x80},
            {0xF0, 0x8F, 0xBF, 0xBF}, {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80}, {0xF8, 0x88, 0x80, 0x80, 0x80},
            {0xFE}, {0xFF}, {0xF0, 0x90, 0x80}, {0xF1, 0x80, 0x80, 0x41},
        };
        for (int[] sequence : invalid) {
            byte[] line = new byte[sequence.length + 4];
            line[0] = 'a';
            line[1] = 'b';
            for (int i = 0; i < sequence.length; i++) {
                line[2 + i] = (byte) sequence[i];
            }
            line[line.length - 2] = 'y';
            line[line.length - 1] = 'z';
            assertThat(LineText.decode(line).valid()).as(Arrays.toString(sequence)).isFalse();
            assertThat(POD.encode(TS, line, 0, line.length, Set.of())).as(Arrays.toString(sequence)).isNull();
            byte[] atEnd = Arrays.copyOf(line, line.length - 2);
            assertThat(POD.encode(TS, atEnd, 0, atEnd.length, Set.of())).as(Arrays.toString(sequence) + " at the end").isNull();
        }
    }

    @Test
    void randomBytesAreRefusedOrWrittenExactlyAsTheRecordPathDecidesAndWrites() {
        Random random = new Random(20261125);
        int[] interesting = {0x00, 0x0A, 0x1F, 0x20, 0x22, 0x5C, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
            0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
        int valid = 0;
        for (int n = 0; n < 50_000; n++) {
            byte[] buffer = new byte[2 + random.nextInt(12)];
            for (int i = 0; i < buffer.length; i++) {
                buffer[i] = (byte) (random.nextInt(3) == 0 ? 'a' + random.nextInt(26) : interesting[random.nextInt(interesting.length)]);
            }
            int offset = random.nextInt(2);
            int length = buffer.length - offset - random.nextInt(2);
            LineText text = LineText.decode(buffer, offset, length);
            byte[] encoded = POD.encode(TS, buffer, offset, length, Set.of());
            if (text.valid()) {
                valid++;
                assertThat(encoded).as(Arrays.toString(buffer)).isEqualTo(RecordCodec.encode(POD.record(TS, text, Set.of())));
            } else {
                assertThat(encoded).as(Arrays.toString(buffer)).isNull();
            }
        }
        assertThat(valid).as("the random lines hit both cases").isBetween(2_000, 48_000);
    }

    @Test
    void aTenMegabyteLineIsWrittenWholeAndItsEscapesGrowTheBuffer() {
        byte[] line = new byte[10 * 1024 * 1024];
        byte[] unit = "x\u00e9\u4e2d\uD83D\uDE00\"\n\u0001 ".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < line.length; i++) {
            line[i] = unit[i % unit.length];
        }
        int length = line.length - line.length % unit.length;
        byte[] encoded = POD.encode(TS, line, 0, length, EnumSet.of(RecordFlag.JOINED));
        assertThat(encoded).isEqualTo(RecordCodec.encode(POD.record(TS, LineText.decode(line, 0, length), EnumSet.of(RecordFlag.JOINED))));
        // all escapes: the worst case for the buffer (six bytes out for one in)
        byte[] controls = new byte[10 * 1024 * 1024];
        Arrays.fill(controls, (byte) 0x01);
        byte[] escaped = POD.encode(TS, controls, 0, controls.length, Set.of());
        assertThat(escaped).isEqualTo(RecordCodec.encode(POD.record(TS, LineText.decode(controls), Set.of())));
        line[length - 1] = (byte) 0xC3;
        assertThat(POD.encode(TS, line, 0, length, Set.of())).isNull();
    }

    @Test
    void everyTimestampIsWrittenAsDataBindingWritesIt() throws Exception {
        long[] timestamps = {0, 1, -1, 999_999_999, 1_000_000_000, 1_000_000_001, 1_999_999_999, 2_000_000_000, TS, TS + 1,
            TS - TS % 1_000_000_000, TS - TS % 1_000_000_000 - 1, TS + 1_000_000_000, TS, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MIN_VALUE + 1, -1_000_000_000, 1_764_064_800_000_000_007L};
        byte[] line = "x".getBytes(StandardCharsets.UTF_8);
        for (long ts : timestamps) {
            byte[] encoded = BARE.encode(ts, line, 0, 1, Set.of());
            RawRecord record = BARE.record(ts, LineText.decode(line), Set.of());
            assertThat(JSON.readTree(encoded)).as("ts %d", ts).isEqualTo(JSON.readTree(RecordCodec.encodeByDataBinding(record)));
            assertThat(RecordCodec.decodeRaw(encoded).timestampNanos()).isEqualTo(ts);
            assertThat(RecordCodec.encode(record)).isEqualTo(encoded);
        }
    }

    @Test
    void theKeyIsTheSourceInUtf8() {
        assertThat(new String(POD.key(), StandardCharsets.UTF_8)).isEqualTo(POD.source()).isEqualTo("uid-1/n8n/\u00e9\"x");
    }

    private static Set<Set<RecordFlag>> flagSets() {
        return Set.of(Set.of(), EnumSet.of(RecordFlag.JOINED), EnumSet.of(RecordFlag.TRUNCATED, RecordFlag.SPLIT, RecordFlag.JOINED),
                Set.of(RecordFlag.JOINED, RecordFlag.READ_TIME, RecordFlag.SPLIT));
    }
}

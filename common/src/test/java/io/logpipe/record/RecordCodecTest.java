package io.logpipe.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordCodecTest {

    private static final long TS = 1_764_064_800_123_456_789L;

    @Test
    void rawRecordRoundTripsWithNanosecondTimestamp() {
        RawRecord record = RawRecord.of(TS, SourceKind.POD, "uid-1/n8n", LineText.decode("hello world".getBytes(StandardCharsets.UTF_8)),
                Map.of("namespace", "homelab", "pod", "n8n-0"), Map.of("job", "kubernetes-pods"), Set.of(RecordFlag.JOINED));

        RawRecord back = RecordCodec.decodeRaw(RecordCodec.encode(record));

        assertThat(back).isEqualTo(record);
        assertThat(back.timestampNanos()).isEqualTo(TS);
        assertThat(back.version()).isEqualTo(RecordCodec.FORMAT_VERSION);
    }

    @Test
    void streamingEncoderWritesWhatDataBindingWrites() throws Exception {
        RawRecord full = RawRecord.of(TS, SourceKind.JOURNALD, "pesubuntu/journald/ollama.service",
                LineText.decode(new byte[] {'a', '"', '\\', (byte) 0xC3, (byte) 0x28, '\n', 0x01}),
                Map.of("unit", "ollama.service", "priority", "6", "z", "\u00e9\u4e2d\uD83D\uDE00\u001f\t\r\b\f/"),
                Map.of("job", "systemd-journal"),
                Set.of(RecordFlag.SPLIT, RecordFlag.JOINED));
        RawRecord bare = RawRecord.of(-1, SourceKind.FILE, "h:/var/log/syslog", new LineText("plain", null), null, null, null);
        for (RawRecord record : new RawRecord[] {full, bare}) {
            // same JSON value (Jackson may escape a character the hand-written encoder writes as UTF-8)
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            assertThat(json.readTree(RecordCodec.encode(record))).isEqualTo(json.readTree(RecordCodec.encodeByDataBinding(record)));
            assertThat(RecordCodec.decodeRaw(RecordCodec.encode(record))).isEqualTo(record);
        }
    }

    @Test
    void enrichedEncoderWritesWhatDataBindingWrites() throws Exception {
        EnrichedRecord full = new EnrichedRecord(1, TS, Map.of("app", "n8n", "level", "error"), Level.ERROR,
                "a\"\\\n\u0001\u00e9\uD83D\uDE00", "YWJj", Map.of("pod_uid", "u-1"), "uid-1/n8n", Set.of(RecordFlag.INVALID_UTF8));
        EnrichedRecord bare = new EnrichedRecord(1, -1, Map.of("level", "unknown"), null, "plain", null, null, null, null);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (EnrichedRecord record : new EnrichedRecord[] {full, bare}) {
            assertThat(json.readTree(RecordCodec.encode(record))).isEqualTo(json.readTree(RecordCodec.encodeByDataBinding(record)));
            assertThat(RecordCodec.decodeEnriched(RecordCodec.encode(record))).isEqualTo(record);
        }
    }

    @Test
    void rawRecordsReadFieldByFieldAsDataBindingReadsThem() {
        String[] values = {
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\",\"raw_bytes\":\"YQ==\","
                + "\"attributes\":{\"a\":\"b\"},\"labels\":{\"job\":\"x\"},\"flags\":[\"joined\"]}",
            "{\"line\":\"\",\"source\":\"s\",\"kind\":\"file\",\"ts\":-1,\"v\":1}",
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\",\"extra\":1}",
            "{\"v\":2,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\"}",
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\"}",
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\",\"attributes\":{\"a\":1}}",
            "{\"v\":1,\"ts\":5,\"kind\":\"socket\",\"source\":\"s\",\"line\":\"l\"}",
            "[1]",
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\",\"attributes\":{\"a\":\"\u00e9\\\"x\",\"b\":\"\\u0041\"}}",
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\",\"attributes\":{\"a\":\"b\",}}",
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\",\"attributes\":{\"a\":{\"n\":\"x\"}}}",
            "{\"v\":1,\"ts\":5,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"l\",\"labels\":{},\"attributes\":{\"a\":\"b\"}}",
        };
        // twice: the second time the maps come from what the first decoding remembered
        for (String value : java.util.stream.Stream.concat(java.util.Arrays.stream(values), java.util.Arrays.stream(values)).toList()) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            Object fast = outcome(() -> RecordCodec.decodeRaw(bytes));
            Object reference = outcome(() -> RecordCodec.decodeRawByDataBinding(bytes));
            assertThat(fast).as(value).isEqualTo(reference);
        }
    }

    @Test
    void recordsWithTheSameMapsShareOneDecodedInstance() {
        Map<String, String> attributes = Map.of("namespace", "homelab", "pod", "n8n-0", "container", "n8n");
        RawRecord first = RawRecord.of(TS, SourceKind.POD, "uid-1/n8n", new LineText("one", null), attributes, Map.of("job", "pods"), null);
        RawRecord second = RawRecord.of(TS + 1, SourceKind.POD, "uid-1/n8n", new LineText("two", null), attributes, Map.of("job", "pods"), null);
        RawRecord other = RawRecord.of(TS + 2, SourceKind.POD, "uid-2/n8n", new LineText("three", null),
                Map.of("namespace", "homelab", "pod", "n8n-1", "container", "n8n"), Map.of("job", "pods"), null);

        RawRecord firstBack = RecordCodec.decodeRaw(RecordCodec.encode(first));
        RawRecord secondBack = RecordCodec.decodeRaw(RecordCodec.encode(second));
        RawRecord otherBack = RecordCodec.decodeRaw(RecordCodec.encode(other));

        assertThat(firstBack).isEqualTo(first);
        assertThat(secondBack).isEqualTo(second);
        assertThat(otherBack).isEqualTo(other);
        assertThat(secondBack.attributes()).isSameAs(firstBack.attributes());
        assertThat(secondBack.labels()).isSameAs(firstBack.labels());
        assertThat(otherBack.attributes()).isNotSameAs(firstBack.attributes()).containsEntry("pod", "n8n-1");
        assertThatThrownBy(() -> secondBack.attributes().put("pod", "x")).isInstanceOf(UnsupportedOperationException.class);
    }

    private static Object outcome(java.util.function.Supplier<RawRecord> decode) {
        try {
            return decode.get();
        } catch (RecordFormatException e) {
            return e.getMessage();
        }
    }

    @Test
    void anEmptyLineIsWrittenAndReadBack() {
        RawRecord empty = RawRecord.of(TS, SourceKind.FILE, "h:/var/log/syslog", new LineText("", null), null, null, null);
        assertThat(RecordCodec.decodeRaw(RecordCodec.encode(empty)).line()).isEmpty();
        EnrichedRecord enriched = new EnrichedRecord(1, TS, Map.of("job", "syslog"), Level.INFO, "", null, null, "s", null);
        assertThat(RecordCodec.decodeEnriched(RecordCodec.encode(enriched)).line()).isEmpty();
    }

    @Test
    void enrichedRecordRoundTrips() {
        EnrichedRecord record = new EnrichedRecord(1, TS, Map.of("namespace", "homelab", "level", "error"), Level.ERROR,
                "{\"level\":\"error\"}", null, Map.of("pod_uid", "u-1"), "uid-1/n8n", Set.of());

        EnrichedRecord back = RecordCodec.decodeEnriched(RecordCodec.encode(record));

        assertThat(back).isEqualTo(record);
        assertThat(back.stream().canonical()).isEqualTo("{level=\"error\", namespace=\"homelab\"}");
    }

    @Test
    void invalidUtf8IsReplacedFlaggedAndRecoverable() {
        byte[] bytes = {'o', 'k', ' ', (byte) 0xC3, (byte) 0x28, ' ', (byte) 0xFF, '!'};
        RawRecord record = RawRecord.of(TS, SourceKind.FILE, "host/var/log/x.log", LineText.decode(bytes), Map.of(), Map.of(), Set.of());

        RawRecord back = RecordCodec.decodeRaw(RecordCodec.encode(record));

        assertThat(back.has(RecordFlag.INVALID_UTF8)).isTrue();
        assertThat(back.line()).startsWith("ok ").contains("\uFFFD");
        assertThat(new LineText(back.line(), back.rawBytes()).originalBytes()).isEqualTo(bytes);
    }

    @Test
    void validUtf8CarriesNoRawBytes() {
        LineText text = LineText.decode("grüße ✓".getBytes(StandardCharsets.UTF_8));
        assertThat(text.valid()).isTrue();
        assertThat(text.rawBytesBase64()).isNull();
        assertThat(text.text()).isEqualTo("grüße ✓");
    }

    @Test
    void decodeAnyTellsRawFromEnriched() {
        RawRecord raw = RawRecord.of(TS, SourceKind.JOURNALD, "h/ollama.service", LineText.decode(new byte[] {'x'}), Map.of(), Map.of(), Set.of());
        EnrichedRecord enriched = new EnrichedRecord(1, TS, Map.of("job", "syslog"), Level.INFO, "x", null, null, "s", null);

        assertThat(RecordCodec.decodeAny(RecordCodec.encode(raw))).isInstanceOf(RawRecord.class);
        assertThat(RecordCodec.decodeAny(RecordCodec.encode(enriched))).isInstanceOf(EnrichedRecord.class);
    }

    @Test
    void notJsonIsAClearError() {
        assertThatThrownBy(() -> RecordCodec.decodeRaw("plain text".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("not a logpipe record: invalid JSON");
    }

    @Test
    void emptyValueIsAClearError() {
        assertThatThrownBy(() -> RecordCodec.decodeEnriched(new byte[0]))
                .isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("empty value");
    }

    @Test
    void unknownVersionIsRefusedNamingBothVersions() {
        assertThatThrownBy(() -> RecordCodec.decodeRaw("{\"v\":7,\"ts\":1,\"kind\":\"file\",\"source\":\"s\",\"line\":\"l\"}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RecordFormatException.class)
                .hasMessage("unsupported record format version 7 (this build reads version 1)");
    }

    @Test
    void missingVersionIsRefused() {
        assertThatThrownBy(() -> RecordCodec.decodeRaw("{\"ts\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("'v'");
    }

    @Test
    void missingRequiredFieldIsNamed() {
        assertThatThrownBy(() -> RecordCodec.decodeRaw("{\"v\":1,\"ts\":1,\"kind\":\"file\",\"line\":\"l\"}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("source");
    }

    @Test
    void badEnumValueNamesTheField() {
        assertThatThrownBy(() -> RecordCodec.decodeRaw("{\"v\":1,\"ts\":1,\"kind\":\"socket\",\"source\":\"s\",\"line\":\"l\"}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("socket");
    }

    @Test
    void wrongTypeNamesTheField() {
        assertThatThrownBy(() -> RecordCodec.decodeRaw("{\"v\":1,\"ts\":\"yesterday\",\"kind\":\"file\",\"source\":\"s\",\"line\":\"l\"}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(RecordFormatException.class)
                .hasMessageContaining("ts");
    }
}

package io.logpipe.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The field-by-field reader of enriched records agrees with data binding on every value. */
class EnrichedDecodingTest {

    @Test
    void bothPathsReadTheSameRecords() {
        List<EnrichedRecord> records = List.of(
                new EnrichedRecord(1, 1_764_064_800_123_456_789L, Map.of("app", "n8n", "namespace", "homelab"), Level.ERROR,
                        "{\"level\":\"error\",\"msg\":\"Workflow \\\"x\\\" failed\"}\tünï", null,
                        Map.of("pod_uid", "7f9c", "stream", "stderr"), "uid/n8n", Set.of(RecordFlag.JOINED, RecordFlag.READ_TIME)),
                new EnrichedRecord(1, 0, Map.of("job", "systemd-journal"), null, "", "AAE=", null, null, null));
        for (EnrichedRecord record : records) {
            byte[] value = RecordCodec.encode(record);
            assertThat(RecordCodec.decodeEnriched(value)).isEqualTo(RecordCodec.decodeEnrichedByDataBinding(value)).isEqualTo(record);
        }
    }

    @Test
    void valuesOutsideTheFastPathGetTheDataBindingError() {
        for (String value : List.of(
                "{\"v\":2,\"ts\":1,\"labels\":{\"a\":\"b\"},\"line\":\"x\"}",
                "{\"v\":1,\"ts\":1,\"labels\":{\"a\":\"b\"},\"line\":\"x\",\"extra\":1}",
                "{\"v\":1,\"ts\":\"soon\",\"labels\":{\"a\":\"b\"},\"line\":\"x\"}",
                "{\"v\":1,\"ts\":1,\"labels\":{\"a\":\"b\"},\"level\":\"loud\",\"line\":\"x\"}",
                "{\"v\":1,\"ts\":1,\"line\":\"x\"}",
                "[1,2]",
                "not json")) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            String expected;
            try {
                RecordCodec.decodeEnrichedByDataBinding(bytes);
                expected = null;
            } catch (RecordFormatException e) {
                expected = e.getMessage();
            }
            assertThat(expected).as(value).isNotNull();
            assertThatThrownBy(() -> RecordCodec.decodeEnriched(bytes)).as(value)
                    .isInstanceOf(RecordFormatException.class).hasMessage(expected);
        }
    }
}

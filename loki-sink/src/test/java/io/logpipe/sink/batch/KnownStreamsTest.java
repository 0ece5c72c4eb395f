package io.logpipe.sink.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.record.RecordCodec;
import io.logpipe.sink.admission.LabelLimits;
import io.logpipe.sink.admission.StreamCheck;
import io.logpipe.sink.batch.KnownStreams.KnownStream;
import io.logpipe.sink.batch.KnownStreams.LastSeen;
import io.logpipe.sink.push.RefusalReason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KnownStreamsTest {
    private final KnownStreams streams = new KnownStreams(new StreamCheck(LabelLimits.LOKI_DEFAULTS));

    private KnownStream of(String labelsJson) {
        return of(null, labelsJson);
    }

    private KnownStream of(String key, String labelsJson) {
        String head = "{\"v\":1,\"ts\":1,\"labels\":";
        byte[] value = (head + labelsJson + ",\"line\":\"x\"}").getBytes(StandardCharsets.UTF_8);
        return streams.of(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, head.length(),
                head.length() + labelsJson.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void theKafkaKeyRemembersTheLabelsLastSeenWithItAsAHintOnly() {
        assertThat(streams.lastSeen("{app=\"n8n\"}".getBytes(StandardCharsets.UTF_8))).isNull();
        KnownStream n8n = of("{app=\"n8n\"}", "{\"app\":\"n8n\"}");
        LastSeen seen = streams.lastSeen("{app=\"n8n\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(seen.labelsJson(), StandardCharsets.UTF_8)).isEqualTo("{\"app\":\"n8n\"}");
        assertThat(seen.stream()).isSameAs(n8n);

        // the same key with other labels: the labels decide, and the key now hints at them
        KnownStream other = of("{app=\"n8n\"}", "{\"app\":\"other\"}");
        assertThat(other.canonical()).isEqualTo("{app=\"other\"}");
        assertThat(streams.lastSeen("{app=\"n8n\"}".getBytes(StandardCharsets.UTF_8)).stream()).isSameAs(other);
        assertThat(streams.lastSeen(null)).isNull();
    }

    @Test
    void aStreamIsKnownByItsLabelsWhateverTheirOrderOrSpelling() {
        KnownStream first = of("{\"app\":\"n8n\",\"namespace\":\"homelab\"}");
        assertThat(first).isEqualTo(new KnownStream("{app=\"n8n\", namespace=\"homelab\"}", null));
        assertThat(of("{\"app\":\"n8n\",\"namespace\":\"homelab\"}")).isSameAs(first);
        assertThat(of("{\"namespace\":\"homelab\",\"app\":\"n8\\u006e\"}")).isEqualTo(first);
        assertThat(of("{\"app\":\"n8n\",\"namespace\":\"homelab2\"}").canonical()).isEqualTo("{app=\"n8n\", namespace=\"homelab2\"}");
    }

    @Test
    void whatLokiWouldRefuseIsWorkedOutOnceAStream() {
        KnownStream bad = of("{\"foo-bar\":\"x\"}");
        assertThat(bad.problem().reason()).isEqualTo(RefusalReason.INVALID_LABELS);
        assertThat(of("{}").problem().reason()).isEqualTo(RefusalReason.MISSING_LABELS);
        assertThat(of("{\"foo-bar\":\"x\"}")).isSameAs(bad);
    }

    @Test
    void aRecordTheTranscoderLeftToTheReferenceGetsTheSameStream() {
        KnownStream known = of("{\"app\":\"n8n\"}");
        assertThat(streams.of(RecordCodec.decodeEnriched(
                "{\"v\":1,\"ts\":1,\"labels\":{\"app\":\"n8n\"},\"line\":\"x\",\"metadata\":{\"b\":\"1\",\"a\":\"2\"}}"
                        .getBytes(StandardCharsets.UTF_8)))).isEqualTo(known);
    }
}

package io.logpipe.sink.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetLedgerTest {
    private static final TopicPartition P0 = new TopicPartition("logs.enriched", 0);
    private static final TopicPartition P1 = new TopicPartition("logs.enriched", 1);

    private static PushBatch batch(Map<TopicPartition, Long> firstOffsets) {
        return new PushBatch(List.of(), firstOffsets);
    }

    private static Map<TopicPartition, Long> offsets(Map<TopicPartition, OffsetAndMetadata> commit) {
        return commit.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    @Test
    void nothingAtOrAfterAnUnacknowledgedBatchIsCommitted() {
        OffsetLedger ledger = new OffsetLedger();
        ledger.reading(P0, 100);
        PushBatch first = batch(Map.of(P0, 100L));
        ledger.closed(first);
        ledger.consumed(P0, 149);
        PushBatch second = batch(Map.of(P0, 150L, P1, 7L));
        ledger.reading(P1, 7);
        ledger.consumed(P1, 9);
        ledger.closed(second);
        ledger.consumed(P0, 199);

        assertThat(ledger.toCommit(Map.of())).as("the starting offsets say nothing new").isEmpty();
        ledger.acknowledged(second);
        assertThat(offsets(ledger.toCommit(Map.of()))).as("the older batch still holds P0 back, not P1")
                .isEqualTo(Map.of(P1, 10L));
        ledger.acknowledged(first);
        assertThat(offsets(ledger.toCommit(Map.of()))).isEqualTo(Map.of(P0, 200L, P1, 10L));
    }

    @Test
    void theOpenBatchHoldsItsPartitionsBackAndCommittedOffsetsAreNotRepeated() {
        OffsetLedger ledger = new OffsetLedger();
        ledger.reading(P0, 0);
        ledger.consumed(P0, 9); // e.g. all ten went to the DLQ
        assertThat(offsets(ledger.toCommit(Map.of(P0, 5L)))).isEqualTo(Map.of(P0, 5L));
        Map<TopicPartition, OffsetAndMetadata> commit = ledger.toCommit(Map.of());
        assertThat(offsets(commit)).isEqualTo(Map.of(P0, 10L));
        ledger.markCommitted(commit);
        assertThat(ledger.toCommit(Map.of())).isEmpty();
    }

    @Test
    void revokedPartitionsAreForgotten() {
        OffsetLedger ledger = new OffsetLedger();
        ledger.reading(P0, 0);
        PushBatch batch = batch(Map.of(P0, 0L));
        ledger.closed(batch);
        ledger.consumed(P0, 3);
        ledger.forget(List.of(P0));
        ledger.acknowledged(batch);
        assertThat(ledger.toCommit(Map.of())).isEmpty();
        assertThat(ledger.idle()).isTrue();
    }
}

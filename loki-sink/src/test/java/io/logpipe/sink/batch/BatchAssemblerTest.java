package io.logpipe.sink.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.config.ByteSize;
import io.logpipe.sink.push.LokiEntry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The open batch's first offsets, which bound what the sink may commit. */
class BatchAssemblerTest {
    private static final TopicPartition P0 = new TopicPartition("logs.enriched", 0);
    private static final TopicPartition P1 = new TopicPartition("logs.enriched", 1);

    private static void add(BatchAssembler batch, TopicPartition partition, long offset) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(partition.topic(), partition.partition(), offset, null, null);
        batch.add(new LokiEntry<>("{job=\"x\"}", 1_000_000_000L + offset, "line " + offset, Map.of(), record), partition, offset);
    }

    @Test
    void eachPartitionsFirstOffsetIsItsLowestEvenWhenAReassignedPartitionIsReadAgain() {
        BatchAssembler batch = new BatchAssembler(new BatchLimits(ByteSize.parse("1MiB"), Duration.ofSeconds(1)));
        add(batch, P0, 300);
        add(batch, P0, 301);
        add(batch, P1, 7);
        // P0 revoked and assigned again: read again from its committed offset, 100
        add(batch, P0, 100);
        add(batch, P0, 101);
        assertThat(batch.firstOffsets()).isEqualTo(Map.of(P0, 100L, P1, 7L));
        assertThat(batch.close().firstOffsets()).isEqualTo(Map.of(P0, 100L, P1, 7L));
        assertThat(batch.firstOffsets()).isEmpty();
    }
}

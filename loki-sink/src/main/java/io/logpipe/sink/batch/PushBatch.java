package io.logpipe.sink.batch;

import io.logpipe.sink.push.LokiEntry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A closed batch on its way to Loki.
 *
 * @param entries in the order they were consumed (so each stream keeps its order)
 * @param firstOffsets the lowest offset of each partition in the batch: nothing at or after it
 *                     may be committed before the batch is acknowledged
 */
public record PushBatch(List<LokiEntry<ConsumerRecord<byte[], byte[]>>> entries, Map<TopicPartition, Long> firstOffsets) {

    public PushBatch {
        entries = List.copyOf(entries);
        firstOffsets = Map.copyOf(firstOffsets);
    }
}

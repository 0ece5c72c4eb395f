package io.logpipe.sink.batch;

import io.logpipe.sink.push.LokiEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** The open batch: collects entries until {@link BatchLimits} say it is time to push. Not thread-safe. */
final class BatchAssembler {
    private final long maxBytes;
    private final long maxWaitNanos;
    private List<LokiEntry<ConsumerRecord<byte[], byte[]>>> entries = new ArrayList<>();
    private Map<TopicPartition, Long> firstOffsets = new HashMap<>();
    private long bytes;
    private long openedAtNanos;

    BatchAssembler(BatchLimits limits) {
        this.maxBytes = limits.maxBytes().bytes();
        this.maxWaitNanos = limits.maxWait().toNanos();
    }

    void add(LokiEntry<ConsumerRecord<byte[], byte[]>> entry, TopicPartition partition, long offset) {
        if (entries.isEmpty()) {
            openedAtNanos = System.nanoTime();
        }
        entries.add(entry);
        // the lowest, not the first added: a partition revoked and assigned again is read again from
        // its committed offset, which lies before what the open batch already holds of it, and the
        // commit must not pass those re-read records before Loki has them
        Long first = firstOffsets.get(partition); // boxes only a partition's new lowest offset
        if (first == null || offset < first) {
            firstOffsets.put(partition, offset);
        }
        bytes += entry.estimatedBytes();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    boolean full() {
        return bytes >= maxBytes;
    }

    boolean expired(long nowNanos) {
        return !entries.isEmpty() && nowNanos - openedAtNanos >= maxWaitNanos;
    }

    /** Nanoseconds until the open batch expires; {@code Long.MAX_VALUE} when it is empty. */
    long nanosUntilExpiry(long nowNanos) {
        return entries.isEmpty() ? Long.MAX_VALUE : Math.max(0, openedAtNanos + maxWaitNanos - nowNanos);
    }

    /** The first offset of each partition in the open batch. */
    Map<TopicPartition, Long> firstOffsets() {
        return firstOffsets;
    }

    PushBatch close() {
        PushBatch batch = new PushBatch(entries, firstOffsets);
        entries = new ArrayList<>();
        firstOffsets = new HashMap<>();
        bytes = 0;
        return batch;
    }
}

package io.logpipe.sink.batch;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed: a partition's committable offset is the first offset of its
 * oldest batch not yet acknowledged by Loki, or, with none outstanding, the offset after the last
 * record consumed (records that went to the DLQ count as done once the DLQ has them).
 * Thread-safe: the consumer thread records progress, the delivery thread acknowledges.
 */
final class OffsetLedger {
    private final Map<TopicPartition, Progress> partitions = new HashMap<>();

    private static final class Progress {
        long next = -1;
        long committed = -1;
        final TreeMap<Long, PushBatch> outstanding = new TreeMap<>();

        long committable() {
            return outstanding.isEmpty() ? next : outstanding.firstKey();
        }
    }

    /** The consumer starts on records of {@code partition} from {@code offset}, before any batch holds them. */
    synchronized void reading(TopicPartition partition, long offset) {
        partitions.computeIfAbsent(partition, k -> {
            Progress p = new Progress();
            // the group stands at this offset already: committing it again would say nothing
            p.committed = offset;
            p.next = offset;
            return p;
        });
    }

    /** Every record of {@code partition} up to {@code offset} is in a batch or in the DLQ. */
    synchronized void consumed(TopicPartition partition, long offset) {
        reading(partition, offset);
        Progress p = partitions.get(partition);
        p.next = Math.max(p.next, offset + 1);
    }

    /** {@code batch} is closed: it holds its partitions back until {@link #acknowledged}. */
    synchronized void closed(PushBatch batch) {
        batch.firstOffsets().forEach((partition, first) -> {
            Progress p = partitions.get(partition);
            if (p != null) {
                p.outstanding.put(first, batch);
            }
        });
    }

    /** Loki has answered for every entry of {@code batch}. */
    synchronized void acknowledged(PushBatch batch) {
        batch.firstOffsets().forEach((partition, first) -> {
            Progress p = partitions.get(partition);
            if (p != null && p.outstanding.get(first) == batch) {
                p.outstanding.remove(first);
            }
        });
    }

    /**
     * Offsets that moved since the last {@link #markCommitted}; {@code openBatch} gives the first
     * offsets of the batch still being filled, which hold their partitions back too.
     */
    synchronized Map<TopicPartition, OffsetAndMetadata> toCommit(Map<TopicPartition, Long> openBatch) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach((partition, p) -> {
            Long open = openBatch.get(partition);
            long offset = open == null ? p.committable() : Math.min(open, p.committable());
            if (offset > p.committed) {
                out.put(partition, new OffsetAndMetadata(offset));
            }
        });
        return out;
    }

    synchronized void markCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            Progress p = partitions.get(partition);
            if (p != null) {
                p.committed = Math.max(p.committed, offset.offset());
            }
        });
    }

    /** The offset up to which {@code partition} is done, or -1 when nothing was consumed from it. */
    synchronized long committable(TopicPartition partition) {
        Progress p = partitions.get(partition);
        return p == null ? -1 : p.committable();
    }

    /** True when no batch waits for Loki. */
    synchronized boolean idle() {
        return partitions.values().stream().allMatch(p -> p.outstanding.isEmpty());
    }

    /** The partitions left this consumer: their outstanding batches no longer decide anything here. */
    synchronized void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }
}

package io.logpipe.sink.replay;

import io.logpipe.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Re-reads the records of a topic whose Kafka timestamps fall in {@code [from, to)} and passes
 * the selected ones to a {@link ReplayDestination}. The offsets to read are found with
 * {@code offsetsForTimes} before the first poll; the partitions are assigned, never subscribed,
 * and nothing is committed, so no consumer group (the sink's least of all) is touched.
 */
public final class TopicReplay {
    private final Map<String, Object> consumerProperties;
    private final String topic;
    private final Instant from;
    private final Instant to;
    private final Duration late;
    private final Predicate<ConsumerRecord<byte[], byte[]>> selected;

    /** How long after the range's end a record of it may have been written, unless told otherwise (a picocli default, hence text). */
    public static final String DEFAULT_LATE_TEXT = "1h";
    public static final Duration DEFAULT_LATE = Durations.parse(DEFAULT_LATE_TEXT);

    /** Counts so far; {@code total} is the number of records in the offset range. */
    public record Progress(long read, long selected, long sent, long total) {
    }

    /** Called from the replay's thread, at most about once a second and once at the end. */
    public interface ProgressListener {
        void progress(Progress progress, boolean done);
    }

    public TopicReplay(Map<String, Object> consumerProperties, String topic, Instant from, Instant to,
                       Predicate<ConsumerRecord<byte[], byte[]>> selected) {
        this(consumerProperties, topic, from, to, DEFAULT_LATE, selected);
    }

    /**
     * @param late how long after {@code to} a record of the range may have been written: a source
     *             that catches up after an outage writes lines older than the records before them,
     *             so reading stops at the first record written {@code late} after {@code to}, not at {@code to}
     */
    public TopicReplay(Map<String, Object> consumerProperties, String topic, Instant from, Instant to, Duration late,
                       Predicate<ConsumerRecord<byte[], byte[]>> selected) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from (" + from + ") must be before --to (" + to + ")");
        }
        if (late.isNegative()) {
            throw new IllegalArgumentException("--late cannot be negative, was " + late);
        }
        this.late = late;
        this.consumerProperties = new HashMap<>(consumerProperties);
        this.consumerProperties.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerProperties.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.topic = topic;
        this.from = from;
        this.to = to;
        this.selected = selected;
    }

    /** Reads the range into {@code destination}, which is closed (flushed) at the end. */
    public Progress run(ReplayDestination destination, ProgressListener listener) throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic '" + topic + "' does not exist");
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> starts = offsetsAt(consumer, partitions, from, ends);
            Map<TopicPartition, Long> stops = offsetsAt(consumer, partitions, to.plus(late), ends);
            long total = 0;
            for (TopicPartition p : partitions) {
                total += Math.max(0, stops.get(p) - starts.get(p));
                consumer.seek(p, starts.get(p));
                if (starts.get(p) >= stops.get(p)) {
                    consumer.pause(List.of(p));
                }
            }
            long read = 0;
            long chosen = 0;
            long sent = 0;
            long lastReport = System.nanoTime();
            long fromMs = from.toEpochMilli();
            long toMs = to.toEpochMilli();
            while (consumer.paused().size() < partitions.size()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition p = new TopicPartition(record.topic(), record.partition());
                    long stop = stops.get(p);
                    if (record.offset() >= stop) {
                        consumer.pause(List.of(p));
                        continue;
                    }
                    read++;
                    if (record.offset() == stop - 1) {
                        consumer.pause(List.of(p));
                    }
                    // offsetsForTimes finds the first offset at a time; later records may still carry older times
                    boolean inRange = record.timestamp() >= fromMs && record.timestamp() < toMs;
                    if (inRange && selected.test(record)) {
                        chosen++;
                        if (destination.accept(record)) {
                            sent++;
                        }
                    }
                }
                for (TopicPartition p : partitions) {
                    if (!consumer.paused().contains(p) && consumer.position(p) >= stops.get(p)) {
                        consumer.pause(List.of(p));
                    }
                }
                if (System.nanoTime() - lastReport > 1_000_000_000L) {
                    listener.progress(new Progress(read, chosen, sent, total), false);
                    lastReport = System.nanoTime();
                }
            }
            destination.close();
            Progress done = new Progress(read, chosen, sent, total);
            listener.progress(done, true);
            return done;
        }
    }

    /** The first offset of each partition with a timestamp at or after {@code at}; the end offset when none. */
    private static Map<TopicPartition, Long> offsetsAt(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                                                       Instant at, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(p -> query.put(p, at.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp offset = found.get(p);
            offsets.put(p, offset == null ? ends.get(p) : offset.offset());
        }
        return offsets;
    }
}

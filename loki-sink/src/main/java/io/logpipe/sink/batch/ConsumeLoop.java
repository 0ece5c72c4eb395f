package io.logpipe.sink.batch;

import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.RecordFormatException;
import io.logpipe.sink.admission.LineLimit;
import io.logpipe.sink.admission.StreamCheck;
import io.logpipe.sink.batch.KnownStreams.KnownStream;
import io.logpipe.sink.batch.KnownStreams.LastSeen;
import io.logpipe.sink.push.Backoff;
import io.logpipe.sink.push.LokiEntry;
import io.logpipe.sink.push.LokiPusher;
import io.logpipe.sink.transcode.EntryTranscoder;
import io.logpipe.sink.transcode.Transcoded;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's consumer thread: reads the enriched topic in the consumer group, checks each record
 * against Loki's rules, fills batches, hands them to the {@link DeliveryWorker}, and commits what
 * the {@link OffsetLedger} allows.
 *
 * <p>While Loki fails (or the hand-over queue is full) every assigned partition is paused and
 * {@code poll} keeps being called, so the consumer stays in its group while the backlog waits in
 * Kafka; when the push goes through, the partitions resume and the backlog drains at full speed.
 */
public final class ConsumeLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumeLoop.class);
    private static final long COMMIT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MEASURE_LAG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Duration LONGEST_POLL = Duration.ofMillis(100);
    static final String MALFORMED = "malformed_record";

    /**
     * @param topic the enriched topic
     * @param shutdownFlush how long closing waits for Loki to take what was consumed
     */
    public record Settings(String topic, BatchLimits batch, Backoff backoff, StreamCheck streams, LineLimit lines,
                           String deadLetterTopic, Duration shutdownFlush) {
    }

    private final Settings settings;
    private final Consumer<byte[], byte[]> consumer;
    private final OffsetLedger ledger = new OffsetLedger();
    private final BatchAssembler assembler;
    private final Deque<PushBatch> ready = new ArrayDeque<>();
    private final DeliveryWorker delivery;
    private final DeadLetterWriter deadLetters;
    private final SinkCounters counters;
    private final KnownStreams streams;
    private final EntryTranscoder transcoder;
    private volatile boolean stopRequested;
    private volatile boolean running;
    private boolean paused;
    private long lastCommitNanos = System.nanoTime();
    private long lastLagNanos;

    public ConsumeLoop(Settings settings, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> deadLetterProducer,
                       LokiPusher pusher, MeterRegistry registry) {
        this.settings = settings;
        this.consumer = consumer;
        this.counters = new SinkCounters(registry);
        this.assembler = new BatchAssembler(settings.batch());
        this.streams = new KnownStreams(settings.streams());
        this.transcoder = new EntryTranscoder(settings.lines().maxBytes());
        this.deadLetters = new DeadLetterWriter(deadLetterProducer, settings.deadLetterTopic(), settings.backoff(), counters);
        this.delivery = new DeliveryWorker(pusher, deadLetters, ledger);
    }

    /** True from the start of {@link #run} until it returns. */
    public boolean running() {
        return running;
    }

    /** Asks the loop to flush, commit and return; callable from any thread. */
    public void stop() {
        stopRequested = true;
        consumer.wakeup();
    }

    @Override
    public void run() {
        running = true;
        delivery.start();
        try {
            consumer.subscribe(List.of(settings.topic()), new Rebalance());
            while (!stopRequested) {
                step();
            }
        } catch (WakeupException stopping) {
            if (!stopRequested) {
                throw stopping;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the sink's consumer failed; it stops without committing more", e);
            throw e;
        } finally {
            flushAndClose();
            running = false;
        }
    }

    private void step() throws InterruptedException {
        long now = System.nanoTime();
        if (assembler.expired(now)) {
            ready.add(closeBatch());
        }
        while (!ready.isEmpty() && delivery.offer(ready.peekFirst())) {
            ready.removeFirst();
        }
        if (!delivery.alive()) {
            throw new IllegalStateException("the push thread stopped (see its error above)");
        }
        holdWhile(!ready.isEmpty() || delivery.retrying());
        Duration timeout = paused ? LONGEST_POLL
                : Duration.ofNanos(Math.min(LONGEST_POLL.toNanos(), Math.max(1_000_000, assembler.nanosUntilExpiry(now))));
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> chunk = records.records(partition);
            ledger.reading(partition, chunk.get(0).offset());
            for (ConsumerRecord<byte[], byte[]> record : chunk) {
                take(record, partition);
            }
            // once a chunk: every record of it is now in a batch or in the DLQ
            ledger.consumed(partition, chunk.get(chunk.size() - 1).offset());
        }
        now = System.nanoTime();
        if (now - lastCommitNanos >= COMMIT_EVERY_NANOS) {
            commitAsync();
            lastCommitNanos = now;
        }
        if (now - lastLagNanos >= MEASURE_LAG_EVERY_NANOS) {
            measureLag();
            lastLagNanos = now;
        }
    }

    private void take(ConsumerRecord<byte[], byte[]> record, TopicPartition partition) throws InterruptedException {
        LokiEntry<ConsumerRecord<byte[], byte[]>> entry = entry(record);
        if (entry == null) {
            return;
        }
        assembler.add(entry, partition, record.offset());
        if (assembler.full()) {
            ready.add(closeBatch());
        }
    }

    /**
     * The record's Loki entry, or null when the record went to the DLQ. A plain record is
     * transcoded straight to the entry's bytes; any other (and a line to truncate) takes the
     * reference decoder, which also words the reason a malformed record goes to the DLQ.
     */
    private LokiEntry<ConsumerRecord<byte[], byte[]>> entry(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        LastSeen lastSeen = streams.lastSeen(record.key());
        Transcoded fast = transcoder.transcode(record.value(), lastSeen == null ? null : lastSeen.labelsJson());
        try {
            if (fast != null) {
                KnownStream stream = fast.labelsWereLikely() ? lastSeen.stream()
                        : streams.of(record.key(), record.value(), fast.labelsFrom(), fast.labelsTo());
                return stream.problem() != null ? refuse(record, stream.problem())
                        : new LokiEntry<>(stream.canonical(), fast.timestampNanos(), fast.entry(), fast.metadataAt(), record);
            }
            EnrichedRecord enriched = RecordCodec.decodeEnriched(record.value());
            KnownStream stream = streams.of(enriched);
            if (stream.problem() != null) {
                return refuse(record, stream.problem());
            }
            String line = settings.lines().fit(enriched.line());
            if (line != enriched.line()) {
                counters.truncated();
            }
            return new LokiEntry<>(stream.canonical(), enriched.timestampNanos(), line, enriched.metadata(), record);
        } catch (RecordFormatException e) {
            deadLetters.write(record, MALFORMED, e.getMessage());
            return null;
        }
    }

    private LokiEntry<ConsumerRecord<byte[], byte[]>> refuse(ConsumerRecord<byte[], byte[]> record, StreamCheck.Problem problem)
            throws InterruptedException {
        deadLetters.write(record, problem.reason().tag(), problem.message());
        return null;
    }

    private PushBatch closeBatch() {
        PushBatch batch = assembler.close();
        ledger.closed(batch);
        return batch;
    }

    private void holdWhile(boolean hold) {
        if (hold && !paused) {
            consumer.pause(consumer.assignment());
            paused = true;
            LOG.debug("consumption paused: {} batches wait for Loki", ready.size() + DeliveryWorker.QUEUED);
        } else if (!hold && paused) {
            consumer.resume(consumer.paused());
            paused = false;
            LOG.debug("consumption resumed");
        }
    }

    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.toCommit(assembler.firstOffsets());
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error == null) {
                ledger.markCommitted(committed);
            } else {
                LOG.warn("commit failed (will be tried again): {}", error.toString());
            }
        });
    }

    private void commitSync(Collection<TopicPartition> only) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(ledger.toCommit(assembler.firstOffsets()));
        if (only != null) {
            offsets.keySet().retainAll(only);
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            ledger.markCommitted(offsets);
        } catch (KafkaException e) {
            LOG.warn("final commit failed; the records since the last commit will be read again: {}", e.toString());
        }
    }

    private void measureLag() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            counters.waiting(0);
            return;
        }
        try {
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(2));
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned, Duration.ofSeconds(2));
            long waiting = 0;
            for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                long done = Math.max(at == null ? 0 : at.offset(), ledger.committable(end.getKey()));
                waiting += Math.max(0, end.getValue() - done);
            }
            counters.waiting(waiting);
        } catch (KafkaException e) {
            LOG.debug("cannot measure the lag now: {}", e.toString());
        }
    }

    private void flushAndClose() {
        try {
            if (!assembler.isEmpty()) {
                ready.add(closeBatch());
            }
            long deadline = System.nanoTime() + settings.shutdownFlush().toNanos();
            while (!ready.isEmpty() && System.nanoTime() < deadline && delivery.alive()) {
                if (delivery.offer(ready.peekFirst())) {
                    ready.removeFirst();
                } else {
                    TimeUnit.MILLISECONDS.sleep(10);
                }
            }
            boolean delivered = ready.isEmpty()
                    && delivery.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (!delivered) {
                LOG.warn("stopping before Loki took everything: the rest stays uncommitted and is pushed after the restart");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            delivery.close();
            commitSync(null);
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            // what is acknowledged is committed; batches still out for these partitions are pushed
            // anyway, and the new owner's copies are stored once by Loki
            commitSync(revoked);
            ledger.forget(revoked);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (paused) {
                consumer.pause(assigned);
            }
        }
    }
}

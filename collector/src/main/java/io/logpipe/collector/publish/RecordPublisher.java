package io.logpipe.collector.publish;

import io.logpipe.collector.checkpoint.AckedProgress;
import io.logpipe.collector.metrics.CollectorMetrics;
import io.logpipe.collector.metrics.RateLimitedLog;
import io.logpipe.kafka.KafkaClientConfig;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends raw records to {@code logs.raw} and acknowledges each record's checkpoint ticket once
 * Kafka has it (acks=all, idempotent, so retries neither lose nor reorder a partition).
 *
 * <p>Memory is bounded here rather than in the producer: {@link #publish} takes the record's
 * size from a budget of {@code max_in_flight} bytes and the acknowledgement gives it back.
 * When Kafka is down nothing comes back, the budget runs out, {@code publish} blocks, and so
 * the source that called it stops reading: the files and the journal are the buffer. The
 * producer itself never expires a record ({@code delivery.timeout.ms} is unbounded), so when
 * Kafka returns everything waiting goes out in order.
 */
public final class RecordPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordPublisher.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final int budgetBytes;
    private final int maxRecordBytes;
    private final Semaphore budget;
    private final AtomicLong inFlightBytes = new AtomicLong();
    private final Counter sent;
    private final CollectorMetrics metrics;
    private final RateLimitedLog errorLog = new RateLimitedLog(LOG, Duration.ofSeconds(10));
    private volatile Exception lastFatal;

    public RecordPublisher(KafkaClientConfig kafka, ProducerConfig config, String topic, String clientId, CollectorMetrics metrics) {
        this(new KafkaProducer<>(producerProperties(kafka, config, clientId), new ByteArraySerializer(), new ByteArraySerializer()),
                config, topic, metrics);
    }

    /** Over any producer: Kafka's MockProducer in the tests that decide when Kafka acknowledges. */
    public RecordPublisher(Producer<byte[], byte[]> producer, ProducerConfig config, String topic, CollectorMetrics metrics) {
        this.producer = producer;
        this.topic = topic;
        this.budgetBytes = config.maxInFlight().asInt();
        this.maxRecordBytes = config.maxRecordSize().asInt();
        this.budget = new Semaphore(budgetBytes);
        this.metrics = metrics;
        this.sent = metrics.recordsSent();
        metrics.gauge("logpipe.collector.inflight.bytes", "Record bytes sent to Kafka and not acknowledged yet",
                Tags.empty(), inFlightBytes, AtomicLong::get);
        metrics.gauge("logpipe.collector.inflight.limit.bytes", "The in-flight bound (producer.max_in_flight)",
                Tags.empty(), this, p -> p.budgetBytes);
    }

    static Map<String, Object> producerProperties(KafkaClientConfig kafka, ProducerConfig config, String clientId) {
        Map<String, Object> props = kafka.clientProperties();
        long bound = config.maxInFlight().bytes();
        props.putIfAbsent(org.apache.kafka.clients.producer.ProducerConfig.CLIENT_ID_CONFIG, clientId);
        // the collector's metrics are its Prometheus endpoint: the client's JMX beans and its
        // metrics push to the broker only cost memory (~2.5 MiB of classes and beans on every node)
        props.putIfAbsent(org.apache.kafka.clients.producer.ProducerConfig.METRIC_REPORTER_CLASSES_CONFIG, "");
        props.putIfAbsent(org.apache.kafka.clients.producer.ProducerConfig.ENABLE_METRICS_PUSH_CONFIG, false);
        props.put(org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all");
        props.put(org.apache.kafka.clients.producer.ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(org.apache.kafka.clients.producer.ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression().kafkaName());
        props.put(org.apache.kafka.clients.producer.ProducerConfig.BATCH_SIZE_CONFIG, config.batchSize().asInt());
        int maxRequestBytes = Math.max(1024 * 1024, config.maxRecordSize().asInt() + 64 * 1024);
        props.put(org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequestBytes);
        props.put(org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, (int) config.linger().toMillis());
        // room for the in-flight bound plus partly filled batches, so the producer itself never blocks on
        // memory; and never less than the largest request, or Kafka would refuse (and the collector drop)
        // a record that max_record_size allows
        props.put(org.apache.kafka.clients.producer.ProducerConfig.BUFFER_MEMORY_CONFIG,
                Math.max(2 * bound + 4L * config.batchSize().bytes(), maxRequestBytes));
        props.put(org.apache.kafka.clients.producer.ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        props.putIfAbsent(org.apache.kafka.clients.producer.ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        // how long send() waits for topic metadata; publish() then tries again, so this only paces the warnings
        props.putIfAbsent(org.apache.kafka.clients.producer.ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.putIfAbsent(org.apache.kafka.clients.producer.ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 5_000);
        return props;
    }

    /**
     * Sends {@code record}; {@code ticket} is acknowledged when Kafka has it. Blocks while the
     * in-flight budget is spent (Kafka slow or down) and while Kafka has no metadata for the topic.
     * A record larger than {@code max_record_size} goes as several records, each a part of its
     * line flagged {@code split} ({@link RecordParts}), and the ticket is acknowledged once Kafka
     * has them all.
     *
     * @param source the configured name of the source shipping it, for the bad-input metric (not
     *               the record's source identity: a label of every pod's uid would grow for ever)
     */
    public void publish(String source, RawRecord record, AckedProgress.Ticket<?> ticket) throws InterruptedException {
        byte[] key = record.source().getBytes(StandardCharsets.UTF_8);
        byte[] value = RecordCodec.encode(record);
        if (value.length <= maxRecordBytes) {
            send(key, value, ticket);
            return;
        }
        RecordParts parts = new RecordParts(record, value.length, maxRecordBytes);
        if (!parts.splittable()) {
            // the producer takes up to max_record_size + 64 KiB; cutting the line further would not help
            metrics.badInput(source, "attributes_too_large", "record of " + value.length
                    + " bytes whose attributes and labels alone fill producer.max_record_size " + maxRecordBytes
                    + "; line dropped");
            send(key, RecordCodec.encode(parts.emptied()), ticket);
            return;
        }
        metrics.badInput(source, "record_too_large", "encoded record of " + value.length
                + " bytes is larger than producer.max_record_size " + maxRecordBytes + "; split into records that fit");
        // the ticket keeps its own acknowledgement until the last part is sent, so an early part
        // acknowledged before the next is sent cannot let the checkpoint pass the line
        for (byte[] part = parts.next(); part != null; part = parts.next()) {
            ticket.expectAnother();
            send(key, part, ticket);
        }
        ticket.acknowledge();
    }

    /**
     * Sends a record already encoded (by a {@link io.logpipe.record.RawRecordTemplate}); false,
     * sending nothing, when it is larger than Kafka takes: the caller then publishes the
     * {@link RawRecord}, which goes in parts that fit.
     */
    public boolean publishEncoded(byte[] key, byte[] value, AckedProgress.Ticket<?> ticket) throws InterruptedException {
        if (value.length > maxRecordBytes) {
            return false;
        }
        send(key, value, ticket);
        return true;
    }

    private void send(byte[] key, byte[] value, AckedProgress.Ticket<?> ticket) throws InterruptedException {
        int cost = Math.min(budgetBytes, key.length + value.length);
        budget.acquire(cost);
        inFlightBytes.addAndGet(cost);
        // the Kafka timestamp stays the send time: retention by time must not delete a backlog of old lines
        ProducerRecord<byte[], byte[]> message = new ProducerRecord<>(topic, key, value);
        while (true) {
            Delivery delivery = new Delivery(ticket, cost);
            producer.send(message, delivery);
            Exception refused = delivery.refusedInSend;
            if (refused == null) {
                return;
            }
            if (refused instanceof RetriableException || refused instanceof org.apache.kafka.common.errors.TimeoutException) {
                metrics.sendErrors(reason(refused)).increment();
                errorLog.warn("send", "cannot send to {} yet, trying again: {}", topic, refused.getMessage());
                TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE.toMillis());
                continue;
            }
            delivery.failed(refused);
            return;
        }
    }

    /** Record bytes handed to Kafka and not acknowledged yet. */
    public long inFlightBytes() {
        return inFlightBytes.get();
    }

    /**
     * False once Kafka refused a record for good (authorization, configuration); /readyz reports
     * it, and reading stops once that record's and later ones' bytes spend the in-flight budget.
     */
    public boolean healthy() {
        return lastFatal == null;
    }

    /**
     * Waits until everything sent so far is acknowledged, or {@code timeout} passed. Not
     * {@code producer.flush()}: that waits without a bound while Kafka is down, and a stop must
     * not hang (the producer sends within {@code linger.ms} anyway).
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlightBytes.get() > 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return inFlightBytes.get() == 0;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private static String reason(Exception e) {
        return e.getClass().getSimpleName().replaceAll("Exception$", "").replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The callback of one send; tells a refusal inside send() (caller's thread) from a later result. */
    private final class Delivery implements Callback {
        private final AckedProgress.Ticket<?> ticket;
        private final int cost;
        private final Thread sender = Thread.currentThread();
        private Exception refusedInSend;

        Delivery(AckedProgress.Ticket<?> ticket, int cost) {
            this.ticket = ticket;
            this.cost = cost;
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception exception) {
            if (exception == null) {
                release();
                sent.increment();
                ticket.acknowledge();
            } else if (Thread.currentThread() == sender) {
                refusedInSend = exception;
            } else {
                failed(exception);
            }
        }

        void failed(Exception exception) {
            metrics.sendErrors(reason(exception)).increment();
            if (exception instanceof RecordTooLargeException) {
                // Kafka will never take it; holding the checkpoint back would stop the source for good
                release();
                errorLog.warn("too-large", "Kafka refused a record of {} bytes as too large; it is dropped: {}",
                        cost, exception.getMessage());
                ticket.acknowledge();
            } else {
                // Handled like Kafka down: the checkpoint stays before this record and its bytes stay
                // counted in flight, so once the budget is spent reading stops (rather than racing
                // through files that may rotate away before the restart that sends it again), memory
                // stays bounded, /readyz and the in-flight gauge tell.
                lastFatal = exception;
                errorLog.warn("fatal", "Kafka refused a record for good; reading stops once max_in_flight is spent and "
                        + "its checkpoint is held back until a restart sends it again: {}", exception.toString());
            }
        }

        private void release() {
            inFlightBytes.addAndGet(-cost);
            budget.release(cost);
        }
    }
}

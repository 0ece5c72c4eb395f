package io.logpipe.sink.batch;

import io.logpipe.sink.push.Backoff;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes refused records to {@code logs.dlq}: same key and value bytes, headers naming the
 * stage, the reason and where the record came from (docs/record-format.md). A write returns
 * only once Kafka has it, because the record's offset is committed right after.
 */
final class DeadLetterWriter {
    static final String STAGE = "loki-sink";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Backoff backoff;
    private final SinkCounters counters;

    DeadLetterWriter(Producer<byte[], byte[]> producer, String topic, Backoff backoff, SinkCounters counters) {
        this.producer = producer;
        this.topic = topic;
        this.backoff = backoff;
        this.counters = counters;
    }

    /**
     * @param reasonTag low-cardinality reason for the counter
     * @param message the full reason (Loki's text), for the header
     */
    void write(ConsumerRecord<byte[], byte[]> record, String reasonTag, String message) throws InterruptedException {
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, null, record.key(), record.value());
        Headers headers = letter.headers();
        headers.add("logpipe.stage", bytes(STAGE));
        headers.add("logpipe.reason", bytes(message));
        headers.add("logpipe.source.topic", bytes(record.topic()));
        headers.add("logpipe.source.partition", bytes(String.valueOf(record.partition())));
        headers.add("logpipe.source.offset", bytes(String.valueOf(record.offset())));
        for (int failures = 1; ; failures++) {
            try {
                producer.send(letter).get();
                counters.deadLettered(reasonTag);
                return;
            } catch (ExecutionException e) {
                Duration wait = backoff.delay(failures, null);
                LOG.warn("cannot write to {} ({}); trying again in {} ms", topic, e.getCause(), wait.toMillis());
                TimeUnit.MILLISECONDS.sleep(wait.toMillis());
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

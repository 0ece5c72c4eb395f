package io.logpipe.processor.deadletter;

import io.logpipe.processor.errorrate.LineMetrics;
import io.logpipe.record.RecordFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the processor cannot handle to {@code logs.dlq} and carries on: a value that is not
 * a raw record of this format version (deserialization), or a record whose processing threw.
 * The dead letter is the input as received — same key, same value bytes, same headers — plus
 * the headers of docs/record-format.md naming the stage, the reason and where it came from.
 * Kafka Streams writes it in the same transaction as the input's offset (exactly-once), so a
 * bad record is dead-lettered exactly once and never blocks the partition.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {
    /** Config key under which {@link io.logpipe.processor.StreamProcessor} passes the metrics. */
    public static final String METRICS_CONFIG = "logpipe.processor.metrics";
    public static final String STAGE = "stream-processor";
    public static final String HEADER_STAGE = "logpipe.stage";
    public static final String HEADER_REASON = "logpipe.reason";
    public static final String HEADER_SOURCE_TOPIC = "logpipe.source.topic";
    public static final String HEADER_SOURCE_PARTITION = "logpipe.source.partition";
    public static final String HEADER_SOURCE_OFFSET = "logpipe.source.offset";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);
    private static final String UNSUPPORTED_VERSION = "unsupported record format version";

    private String deadLetterTopic;
    private LineMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null) {
            throw new IllegalStateException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " is not set");
        }
        deadLetterTopic = topic.toString();
        metrics = (LineMetrics) configs.get(METRICS_CONFIG);
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String reason = exception instanceof RecordFormatException ? exception.getMessage() : describe(exception);
        count(reason.startsWith(UNSUPPORTED_VERSION) ? "unsupported_version" : "undecodable");
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(context, record.key(), record.value(), record.timestamp(), reason)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        LOG.warn("processing failed at {} for {}-{}@{}; sending the input to {}", context.processorNodeId(),
                context.topic(), context.partition(), context.offset(), deadLetterTopic, exception);
        count("processing_error");
        return ProcessingExceptionHandler.Response.resume(List.of(
                deadLetter(context, context.sourceRawKey(), context.sourceRawValue(), context.timestamp(),
                "processing failed: " + describe(exception))));
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value,
                                                        long timestamp, String reason) {
        Headers headers = new RecordHeaders(context.headers().toArray());
        headers.add(HEADER_STAGE, bytes(STAGE));
        headers.add(HEADER_REASON, bytes(reason));
        headers.add(HEADER_SOURCE_TOPIC, bytes(context.topic()));
        headers.add(HEADER_SOURCE_PARTITION, bytes(Integer.toString(context.partition())));
        headers.add(HEADER_SOURCE_OFFSET, bytes(Long.toString(context.offset())));
        return new ProducerRecord<>(deadLetterTopic, null, timestamp >= 0 ? timestamp : null, key, value, headers);
    }

    private void count(String reason) {
        if (metrics != null) {
            metrics.deadLetter(reason);
        }
    }

    private static String describe(Exception exception) {
        return exception.getClass().getSimpleName() + (exception.getMessage() == null ? "" : ": " + exception.getMessage());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

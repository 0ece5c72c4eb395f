package io.logpipe.processor.errorrate;

import io.logpipe.record.RawRecord;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for Kafka Streams: the raw record's own timestamp ({@code ts}, the source's time),
 * not the time it reached Kafka. A backlog replayed after an outage therefore lands in the
 * windows of the minutes it was written in, and {@code logs.enriched} carries the same time as
 * its Kafka timestamp. A record without a usable {@code ts} keeps its Kafka timestamp.
 *
 * <p>A time more than {@link #MOST_AHEAD} ahead of this machine's clock (a wrong clock or zone at
 * the source) is taken as that bound. Brokers refuse records stamped more than an hour ahead
 * ({@code log.message.timestamp.after.max.ms}); under exactly-once one such record would fail
 * every transaction that carries it and stop the processor at that offset for good. The line's
 * own {@code ts}, which Loki gets, is kept as it is.
 */
public final class EventTimeExtractor implements TimestampExtractor {
    public static final Duration MOST_AHEAD = Duration.ofMinutes(10);
    private static final long NANOS_PER_MILLI = 1_000_000L;

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof RawRecord raw && raw.timestampNanos() > 0) {
            return Math.min(raw.timestampNanos() / NANOS_PER_MILLI, System.currentTimeMillis() + MOST_AHEAD.toMillis());
        }
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}

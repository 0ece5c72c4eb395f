package io.logpipe.processor.errorrate;

import io.logpipe.record.RawRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for Kafka Streams: the raw record's own timestamp ({@code ts}, the source's time),
 * not the time it reached Kafka. A backlog replayed after an outage therefore lands in the
 * windows of the minutes it was written in, and {@code logs.enriched} carries the same time as
 * its Kafka timestamp. A record without a usable {@code ts} keeps its Kafka timestamp.
 */
public final class EventTimeExtractor implements TimestampExtractor {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof RawRecord raw && raw.timestampNanos() > 0) {
            return raw.timestampNanos() / NANOS_PER_MILLI;
        }
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}

package io.logpipe.sink.push;

import java.util.Map;

/**
 * One entry to push, with what it came from, so that a refusal can be traced back to its
 * record (a Kafka record for the sink, nothing for a replay to stdout).
 *
 * @param stream the stream's label set in Loki's text form, {@code LabelSet.canonical()}
 * @param timestampNanos the entry timestamp, nanoseconds since the epoch
 * @param line the line as it will be stored (already truncated where needed)
 * @param structuredMetadata sent as Loki structured metadata (may be empty)
 * @param origin the caller's handle on where the entry came from
 * @param <O> the origin's type
 */
public record LokiEntry<O>(String stream, long timestampNanos, String line, Map<String, String> structuredMetadata, O origin) {

    /** A cheap estimate of the entry's share of a push, used to close batches by size. */
    public int estimatedBytes() {
        int size = 24 + line.length();
        for (Map.Entry<String, String> pair : structuredMetadata.entrySet()) {
            size += 8 + pair.getKey().length() + pair.getValue().length();
        }
        return size;
    }
}

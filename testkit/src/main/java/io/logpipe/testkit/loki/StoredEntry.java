package io.logpipe.testkit.loki;

import java.time.Instant;
import java.util.Map;

/**
 * An entry as the test server stored it.
 *
 * @param stream the stream's labels in Loki's sorted text form
 * @param labels the same labels as a map
 */
public record StoredEntry(String stream, Map<String, String> labels, long timestampNanos, String line,
                          Map<String, String> structuredMetadata) {

    public Instant timestamp() {
        return Instant.ofEpochSecond(0, timestampNanos);
    }
}

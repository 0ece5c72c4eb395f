package io.logpipe.testkit.loki;

import java.util.List;
import java.util.Map;

/**
 * One stream of a decoded push, before validation, as a client sent it.
 *
 * @param labels the label text as sent (protobuf), or null when the labels came as a map (JSON)
 * @param labelMap the labels of a JSON push, or null
 */
record PushedStream(String labels, List<Map.Entry<String, String>> labelMap, List<PushedEntry> entries) {

    record PushedEntry(long timestampNanos, String line, Map<String, String> structuredMetadata) {
    }
}

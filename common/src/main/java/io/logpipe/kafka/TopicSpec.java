package io.logpipe.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/** A topic as logpipe wants it to exist: partitions and the configs DESIGN.md gives. */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

    public TopicSpec {
        configs = Map.copyOf(configs);
    }

    /** The four DESIGN.md topics with their retention, cleanup policy and compression. */
    public static List<TopicSpec> pipeline(TopicNames names, int partitions) {
        String week = Long.toString(Duration.ofDays(7).toMillis());
        String fortnight = Long.toString(Duration.ofDays(14).toMillis());
        return List.of(
                new TopicSpec(names.raw(), partitions, Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, week,
                        TopicConfig.COMPRESSION_TYPE_CONFIG, "producer")),
                new TopicSpec(names.enriched(), partitions, Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, week,
                        TopicConfig.COMPRESSION_TYPE_CONFIG, "producer")),
                new TopicSpec(names.dlq(), 1, Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, fortnight,
                        TopicConfig.COMPRESSION_TYPE_CONFIG, "producer")),
                new TopicSpec(names.errorRates(), partitions, Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.COMPRESSION_TYPE_CONFIG, "producer")));
    }
}

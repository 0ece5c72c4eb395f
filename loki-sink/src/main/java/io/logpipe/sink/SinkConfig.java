package io.logpipe.sink;

import static io.logpipe.config.ConfigException.refuse;
import static io.logpipe.config.ConfigException.require;

import io.logpipe.config.ByteSize;
import io.logpipe.kafka.KafkaClientConfig;
import io.logpipe.kafka.TopicNames;
import io.logpipe.observability.MetricsConfig;
import io.logpipe.sink.admission.LabelLimits;
import io.logpipe.sink.admission.LineLimit;
import io.logpipe.sink.batch.BatchLimits;
import io.logpipe.sink.push.Backoff;
import io.logpipe.sink.push.LokiConfig;

/**
 * The sink's YAML file ({@code logpipe sink --config F}); every key has a default.
 *
 * <pre>
 * kafka: {bootstrap_servers: localhost:9092}   # see KafkaClientConfig
 * topics: {enriched: logs.enriched, dlq: logs.dlq}
 * metrics: {port: 9403}
 * consumer_group: logpipe-loki-sink
 * loki: {url: http://localhost:3100, tenant: homelab, auth: {bearer_token: ${LOKI_TOKEN}}, timeout: 10s}
 * batch: {max_bytes: 1MiB, max_wait: 1s}
 * retry: {min_backoff: 500ms, max_backoff: 30s}
 * max_line_size: 256KiB
 * line_truncation_marker: " …[truncated by logpipe]"
 * label_limits: {max_names_per_series: 30, max_name_length: 1024, max_value_length: 2048}
 * </pre>
 */
public record SinkConfig(
        KafkaClientConfig kafka,
        TopicNames topics,
        MetricsConfig metrics,
        String consumerGroup,
        LokiConfig loki,
        BatchLimits batch,
        Backoff retry,
        ByteSize maxLineSize,
        String lineTruncationMarker,
        LabelLimits labelLimits) {

    public static final int DEFAULT_METRICS_PORT = 9403;
    public static final String DEFAULT_CONSUMER_GROUP = "logpipe-loki-sink";

    public SinkConfig {
        kafka = kafka == null ? KafkaClientConfig.local(null) : kafka;
        topics = topics == null ? TopicNames.DEFAULTS : topics;
        metrics = (metrics == null ? new MetricsConfig(null, null, null) : metrics).withDefaultPort(DEFAULT_METRICS_PORT);
        consumerGroup = consumerGroup == null || consumerGroup.isBlank() ? DEFAULT_CONSUMER_GROUP : consumerGroup.trim();
        loki = loki == null ? LokiConfig.at(null) : loki;
        batch = batch == null ? BatchLimits.DEFAULTS : batch;
        retry = retry == null ? Backoff.DEFAULT : retry;
        maxLineSize = maxLineSize == null ? ByteSize.ofBytes(LineLimit.LOKI_DEFAULT_MAX_BYTES) : maxLineSize;
        labelLimits = labelLimits == null ? LabelLimits.LOKI_DEFAULTS : labelLimits;
        require(maxLineSize.bytes() >= 1024 && maxLineSize.bytes() <= 64L * 1024 * 1024, "max_line_size",
                "must be between 1KiB and 64MiB");
        lineTruncationMarker = lineTruncationMarker == null ? LineLimit.DEFAULT_MARKER : lineTruncationMarker;
        require(lineTruncationMarker.length() < 256, "line_truncation_marker", "must be shorter than 256 characters");
        refuse(kafka.properties(), LokiSink.SET_BY_THE_SINK, "kafka.properties");
    }

    /** The defaults with Kafka and Loki where given: for tests and {@code logpipe local}. */
    public static SinkConfig of(String bootstrapServers, String lokiUrl) {
        return new SinkConfig(KafkaClientConfig.local(bootstrapServers), null, null, null, LokiConfig.at(lokiUrl),
                null, null, null, null, null);
    }

    public LineLimit lineLimit() {
        return new LineLimit(maxLineSize.asInt(), lineTruncationMarker);
    }
}

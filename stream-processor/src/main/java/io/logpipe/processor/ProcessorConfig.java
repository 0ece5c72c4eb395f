package io.logpipe.processor;

import static io.logpipe.config.ConfigException.refuse;
import static io.logpipe.config.ConfigException.require;

import io.logpipe.kafka.KafkaClientConfig;
import io.logpipe.kafka.TopicNames;
import io.logpipe.observability.MetricsConfig;
import io.logpipe.processor.errorrate.ErrorRateConfig;
import io.logpipe.processor.labels.LabelConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The stream-processor's YAML file, parsed once at start-up by {@link io.logpipe.config.ConfigLoader}.
 * Every key has a default; stream-processor/README.md lists them.
 *
 * @param applicationId Kafka Streams {@code application.id}: the consumer group, the prefix of
 *                      the internal topics and the transactional ids; all instances of one
 *                      processor share it and split the partitions of {@code logs.raw}
 * @param kafka how to reach Kafka
 * @param topics topic names; reads {@code raw}, writes {@code enriched}, {@code dlq}, {@code error_rates}
 * @param metrics where /metrics is served (default port {@value #DEFAULT_METRICS_PORT})
 * @param stateDir where RocksDB keeps the window store; losing it only costs a restore from the changelog
 * @param numStreamThreads stream threads in this instance
 * @param commitInterval how often a transaction commits: the latency of {@code logs.enriched} for read_committed readers
 * @param labels how Loki stream labels are made
 * @param errorRates windows, grace, metric series cap and counted line patterns
 * @param streamsProperties any other Kafka Streams property, applied last; not those the processor's
 *                          guarantees rest on, nor those with a key of their own
 */
public record ProcessorConfig(
        String applicationId,
        KafkaClientConfig kafka,
        TopicNames topics,
        MetricsConfig metrics,
        Path stateDir,
        Integer numStreamThreads,
        Duration commitInterval,
        LabelConfig labels,
        ErrorRateConfig errorRates,
        Map<String, String> streamsProperties) {

    public static final int DEFAULT_METRICS_PORT = 9402;
    public static final String DEFAULT_APPLICATION_ID = "logpipe-stream-processor";
    /**
     * Kafka Streams properties that {@code streams_properties} may not set, and why: the
     * processor's guarantees (exactly once into logs.enriched, bad records to logs.dlq rather than
     * a stopped app) rest on them, or they have a key of their own.
     */
    private static final Map<String, String> NOT_IN_STREAMS_PROPERTIES = Map.of(
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "the processor writes logs.enriched exactly once (exactly_once_v2)",
            StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, "records that do not decode go to the dead-letter topic",
            "default.deserialization.exception.handler", "records that do not decode go to the dead-letter topic",
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, "records that fail go to the dead-letter topic",
            StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "use topics.dlq",
            StreamsConfig.APPLICATION_ID_CONFIG, "use application_id",
            StreamsConfig.STATE_DIR_CONFIG, "use state_dir",
            StreamsConfig.NUM_STREAM_THREADS_CONFIG, "use num_stream_threads",
            StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "use commit_interval");

    public ProcessorConfig {
        applicationId = applicationId == null || applicationId.isBlank() ? DEFAULT_APPLICATION_ID : applicationId.trim();
        kafka = kafka == null ? KafkaClientConfig.local(null) : kafka;
        topics = topics == null ? TopicNames.DEFAULTS : topics;
        metrics = (metrics == null ? new MetricsConfig(null, null, null) : metrics).withDefaultPort(DEFAULT_METRICS_PORT);
        stateDir = stateDir == null ? Path.of("/var/lib/logpipe/stream-processor") : stateDir;
        numStreamThreads = numStreamThreads == null ? 1 : numStreamThreads;
        commitInterval = commitInterval == null ? Duration.ofMillis(100) : commitInterval;
        labels = labels == null ? LabelConfig.DEFAULTS : labels;
        errorRates = errorRates == null ? ErrorRateConfig.DEFAULTS : errorRates;
        streamsProperties = streamsProperties == null ? Map.of() : Map.copyOf(streamsProperties);
        require(applicationId.matches("[a-zA-Z0-9._-]+"), "application_id",
                "'" + applicationId + "' may only contain letters, digits, '.', '_' and '-'");
        require(numStreamThreads >= 1, "num_stream_threads", "must be at least 1, was " + numStreamThreads);
        require(!commitInterval.isNegative() && !commitInterval.isZero(), "commit_interval", "must be positive");
        require(!topics.raw().equals(topics.enriched()), "topics", "raw and enriched must be different topics");
        refuse(streamsProperties, NOT_IN_STREAMS_PROPERTIES, "streams_properties");
    }

    /** All defaults, against {@code bootstrapServers}. */
    public static ProcessorConfig defaults(String bootstrapServers) {
        return new ProcessorConfig(null, KafkaClientConfig.local(bootstrapServers), null, null, null, null, null, null, null, null);
    }
}

package io.logpipe.processor;

import io.logpipe.processor.deadletter.DeadLetterHandler;
import io.logpipe.processor.errorrate.LineMetrics;
import io.logpipe.processor.labels.StreamLabeler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream-processor service: {@link EnrichmentTopology} run by Kafka Streams with
 * exactly-once processing, its metrics in the given registry (the process' one endpoint, so
 * that {@code logpipe local} can run every component in one JVM).
 */
public final class StreamProcessor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamProcessor.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    private final ProcessorConfig config;
    private final MeterRegistry registry;
    private final LineMetrics metrics;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;

    public StreamProcessor(ProcessorConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        this.metrics = new LineMetrics(registry, config.errorRates());
    }

    public Topology topology() {
        return EnrichmentTopology.build(config.topics(), new StreamLabeler(config.labels()), config.errorRates(), metrics,
                flushInterval());
    }

    /** How often partial error-rate counts go to the windows: every commit interval. */
    public Duration flushInterval() {
        return config.commitInterval();
    }

    /** The Kafka Streams properties this service runs with (tests feed them to TopologyTestDriver). */
    public Properties streamsProperties() {
        Properties props = new Properties();
        props.putAll(config.kafka().clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.numStreamThreads());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, config.topics().dlq());
        props.put(DeadLetterHandler.METRICS_CONFIG, metrics);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // 16 KiB batches (the producer's default) fill in about 2 ms at this rate: per-batch work (an
        // lz4 stream with its 64 KiB buffer, callbacks, requests) then cost about as much as the
        // records themselves; 256 KiB halved the CPU per record (BENCHMARKS.md)
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        props.putAll(config.streamsProperties());
        return props;
    }

    public synchronized void start() {
        if (streams != null) {
            throw new IllegalStateException("already started");
        }
        streams = new KafkaStreams(topology(), streamsProperties());
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("stream thread failed; replacing it", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();
        LOG.info("stream-processor {} started: {} -> {}, {}, {}", config.applicationId(), config.topics().raw(),
                config.topics().enriched(), config.topics().errorRates(), config.topics().dlq());
    }

    /** Ready when Kafka Streams runs (or rebalances, which is part of running). */
    public boolean isRunning() {
        KafkaStreams current = streams;
        return current != null && current.state().isRunningOrRebalancing();
    }

    public KafkaStreams.State state() {
        KafkaStreams current = streams;
        return current == null ? KafkaStreams.State.CREATED : current.state();
    }

    /** Stops the stream threads; the open transaction commits or aborts, so nothing is lost or doubled. */
    @Override
    public synchronized void close() {
        if (streams == null) {
            return;
        }
        streams.close(CLOSE_TIMEOUT);
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        streams = null;
    }
}

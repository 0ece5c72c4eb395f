package io.logpipe.sink;

import io.logpipe.sink.admission.StreamCheck;
import io.logpipe.sink.batch.ConsumeLoop;
import io.logpipe.sink.push.LokiPusher;
import io.logpipe.sink.push.PushMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loki-sink service: {@code logs.enriched} → Loki, at least once, committing an offset only
 * after Loki answered for every record up to it. {@link #start()} runs it on its own threads;
 * {@link #close()} pushes what was consumed (for a short while), commits, and stops.
 */
public final class LokiSink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LokiSink.class);
    private static final Duration SHUTDOWN_FLUSH = Duration.ofSeconds(10);

    private final SinkConfig config;
    private final LokiPusher pusher;
    private final PushMetrics pushMetrics;
    private final KafkaProducer<byte[], byte[]> deadLetterProducer;
    private final ConsumeLoop loop;
    private final Thread thread;

    public LokiSink(SinkConfig config, MeterRegistry registry) {
        this.config = config;
        this.pushMetrics = new PushMetrics(registry);
        this.pusher = new LokiPusher(config.loki(), config.retry(), pushMetrics);
        this.deadLetterProducer = new KafkaProducer<>(producerProperties(config), new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(config),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        ConsumeLoop.Settings settings = new ConsumeLoop.Settings(config.topics().enriched(), config.batch(), config.retry(),
                new StreamCheck(config.labelLimits()), config.lineLimit(), config.topics().dlq(), SHUTDOWN_FLUSH);
        this.loop = new ConsumeLoop(settings, consumer, deadLetterProducer, pusher, registry);
        this.thread = new Thread(loop, "loki-sink-consume");
    }

    public void start() {
        LOG.info("loki-sink: {} → {} (group {}, batches of {} or {})", config.topics().enriched(), config.loki().pushUrl(),
                config.consumerGroup(), config.batch().maxBytes(), config.batch().maxWait());
        thread.start();
    }

    /** True while the consumer thread runs (for {@code /readyz}). */
    public boolean running() {
        return loop.running();
    }

    /** True while Loki answers. */
    public boolean lokiUp() {
        return pushMetrics.lokiUp();
    }

    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(SHUTDOWN_FLUSH.plusSeconds(20).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadLetterProducer.close(Duration.ofSeconds(5));
        pusher.close();
    }

    /**
     * Kafka client properties the sink sets itself, because nothing-lost rests on them or another
     * key decides them: {@code kafka.properties} may not set them.
     */
    static final Map<String, String> SET_BY_THE_SINK = Map.of(
            ConsumerConfig.GROUP_ID_CONFIG, "use consumer_group",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "the sink commits an offset only once Loki stored everything before it",
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "the sink reads only what the processor committed (read_committed)",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "a new consumer group starts at the earliest record, so none is skipped",
            ProducerConfig.ACKS_CONFIG, "dead letters are written with acks=all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "dead letters are written once (idempotent producer)");

    static Map<String, Object> consumerProperties(SinkConfig config) {
        Map<String, Object> props = new java.util.HashMap<>(config.kafka().clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "logpipe-loki-sink");
        props.putAll(config.kafka().properties());
        return props;
    }

    static Map<String, Object> producerProperties(SinkConfig config) {
        Map<String, Object> props = new java.util.HashMap<>(config.kafka().clientProperties());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "logpipe-loki-sink-dlq");
        props.putAll(config.kafka().properties());
        return props;
    }
}

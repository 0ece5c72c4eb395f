package io.logpipe.testkit;

import io.logpipe.kafka.TopicNames;
import io.logpipe.kafka.TopicSetup;
import io.logpipe.kafka.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker for one test class, with the DESIGN.md topics created:
 * <pre>
 * &#64;RegisterExtension
 * static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * </pre>
 * The backend is {@link KafkaTestBackend#selected()}; tests only see {@link #bootstrapServers()}.
 * Tests that must take the broker away and give it back use
 * {@link io.logpipe.kafka.embedded.EmbeddedKafkaBroker} directly.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
    private final int partitions;
    private RunningKafka kafka;

    public KafkaBrokerExtension() {
        this(3);
    }

    /** @param partitions partitions of the pipeline topics */
    public KafkaBrokerExtension(int partitions) {
        this.partitions = partitions;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        KafkaTestBackend backend = KafkaTestBackend.selected();
        kafka = backend == KafkaTestBackend.TESTCONTAINERS ? new ContainerKafka() : new InProcessKafka();
        createTopics(TopicSpec.pipeline(TopicNames.DEFAULTS, partitions));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    public String bootstrapServers() {
        if (kafka == null) {
            throw new IllegalStateException("the Kafka test broker is not running: register the extension as a static field");
        }
        return kafka.bootstrapServers();
    }

    public TopicNames topics() {
        return TopicNames.DEFAULTS;
    }

    public void createTopics(List<TopicSpec> specs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            TopicSetup.ensure(admin, specs);
        }
    }

    /** Creates a topic with a unique name, for tests that want one of their own. */
    public String newTopic(String prefix, int partitionCount) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        createTopics(List.of(new TopicSpec(name, partitionCount, Map.of())));
        return name;
    }

    public KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends and waits for every acknowledgement. */
    public void send(String topic, List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> record : records) {
                acks.add(producer.send(record));
            }
            for (var ack : acks) {
                ack.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    /**
     * Reads a topic from the beginning until {@code expected} records arrived or {@code timeout}
     * passed, and returns what it read (the caller asserts on the count).
     */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected, Duration timeout) {
        return readAll(bootstrapServers(), topic, expected, timeout);
    }

    /** {@link #readAll(String, int, Duration)} from any broker, for tests that run their own. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic, int expected, Duration timeout) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // a topic created a moment ago can still be unknown to the broker's metadata: an empty list, not an error
            List<TopicPartition> parts;
            while ((parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList()).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " has no partitions after " + timeout);
                }
                sleep(Duration.ofMillis(100));
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            // one more short poll so that a test expecting N also sees an unexpected N+1
            consumer.poll(Duration.ofMillis(300)).forEach(out::add);
        }
        return out;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topic metadata", e);
        }
    }
}

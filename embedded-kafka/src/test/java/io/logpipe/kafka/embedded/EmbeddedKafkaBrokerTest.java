package io.logpipe.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.kafka.TopicNames;
import io.logpipe.kafka.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    @Test
    void createsPipelineTopicsAndKeepsDataAcrossRestart(@TempDir Path dir) throws Exception {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), "localhost", 0, 2);
        try (broker) {
            broker.start();
            broker.createTopics(TopicSpec.pipeline(TopicNames.DEFAULTS, 2));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                assertThat(admin.listTopics().names().get())
                        .contains("logs.raw", "logs.enriched", "logs.dlq", "logs.error-rates");
                ConfigResource rates = new ConfigResource(ConfigResource.Type.TOPIC, "logs.error-rates");
                ConfigResource dlq = new ConfigResource(ConfigResource.Type.TOPIC, "logs.dlq");
                Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(rates, dlq)).all().get();
                assertThat(configs.get(rates).get("cleanup.policy").value()).isEqualTo("compact");
                assertThat(configs.get(dlq).get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(14).toMillis()));
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all"), new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("logs.raw", "k", "before restart")).get();
            }

            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.start();

            assertThat(readAll(broker.bootstrapServers(), "logs.raw")).containsExactly("before restart");
        }
    }

    private static List<String> readAll(String bootstrap, String topic) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    @Test
    void formatsOnlyOnce(@TempDir Path dir) {
        Path data = dir.resolve("kafka");
        try (EmbeddedKafkaBroker first = new EmbeddedKafkaBroker(data, "localhost", 0, 1)) {
            first.start();
        }
        String meta = read(data.resolve("meta.properties"));
        try (EmbeddedKafkaBroker second = new EmbeddedKafkaBroker(data, "localhost", 0, 1)) {
            second.start();
        }
        assertThat(read(data.resolve("meta.properties"))).isEqualTo(meta);
        assertThat(Set.of(data.toFile().list())).contains("meta.properties");
    }

    private static String read(Path file) {
        try {
            return java.nio.file.Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

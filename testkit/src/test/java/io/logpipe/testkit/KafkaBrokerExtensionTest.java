package io.logpipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaBrokerExtensionTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void brokerHasThePipelineTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).contains("logs.raw", "logs.enriched", "logs.dlq", "logs.error-rates");
        }
    }

    @Test
    void whatIsSentIsReadBack() {
        String topic = KAFKA.newTopic("roundtrip", 2);
        KAFKA.send(topic, List.of(
                new ProducerRecord<>(topic, "a".getBytes(StandardCharsets.UTF_8), "one".getBytes(StandardCharsets.UTF_8)),
                new ProducerRecord<>(topic, "b".getBytes(StandardCharsets.UTF_8), "two".getBytes(StandardCharsets.UTF_8))));

        assertThat(KAFKA.readAll(topic, 2, Duration.ofSeconds(60)))
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("one", "two");
    }
}

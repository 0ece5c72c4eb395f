package io.logpipe.collector.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.config.ByteSize;
import io.logpipe.kafka.KafkaClientConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The producer's properties: what the collector decides, and what kafka.properties may tune. */
class RecordPublisherPropertiesTest {

    @Test
    void everyPropertyKafkaPropertiesMayNotSetIsOneTheCollectorSets() {
        Map<String, Object> props = RecordPublisher.producerProperties(KafkaClientConfig.local("localhost:9092"),
                ProducerConfig.DEFAULTS, "test");
        assertThat(props).containsKeys(ProducerConfig.SET_BY_THE_COLLECTOR.keySet().toArray(String[]::new));
        assertThat(props).containsEntry("acks", "all").containsEntry("enable.idempotence", true)
                .containsEntry("linger.ms", 20).containsEntry("compression.type", "lz4");
    }

    @Test
    void otherClientPropertiesAreTheUsersToTune() {
        KafkaClientConfig kafka = new KafkaClientConfig("localhost:9092", null, null, null,
                Map.of("reconnect.backoff.max.ms", "10000", "max.block.ms", "2000"));
        Map<String, Object> props = RecordPublisher.producerProperties(kafka, ProducerConfig.DEFAULTS, "test");
        assertThat(props).containsEntry("reconnect.backoff.max.ms", "10000").containsEntry("max.block.ms", "2000");
    }

    @Test
    void theProducersMemoryTakesTheLargestRecordEvenWithASmallInFlightBound() {
        ProducerConfig small = new ProducerConfig(null, ByteSize.parse("256KiB"), ByteSize.parse("64KiB"), null, null);
        Map<String, Object> props = RecordPublisher.producerProperties(KafkaClientConfig.local("localhost:9092"), small, "test");
        // Kafka refuses, for good, a record larger than buffer.memory or max.request.size
        assertThat(((Number) props.get("buffer.memory")).longValue())
                .isGreaterThanOrEqualTo(((Number) props.get("max.request.size")).longValue())
                .isGreaterThan(small.maxRecordSize().bytes());
    }
}

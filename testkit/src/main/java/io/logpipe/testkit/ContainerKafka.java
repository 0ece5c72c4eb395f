package io.logpipe.testkit;

import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** The {@code apache/kafka} image of the clients' own version, one KRaft node, through Testcontainers. */
final class ContainerKafka implements RunningKafka {
    private final KafkaContainer container;

    ContainerKafka() {
        requireDocker();
        container = new KafkaContainer("apache/kafka:" + AppInfoParser.getVersion())
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        container.start();
    }

    /** Fails at once, never falls back: a run that asked for the container must not quietly test something else. */
    static void requireDocker() {
        boolean available;
        String reason;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
            reason = available ? "" : "no Docker engine answered";
        } catch (RuntimeException | LinkageError e) {
            available = false;
            reason = e.getMessage();
        }
        if (!available) {
            throw new IllegalStateException(noDockerMessage(reason));
        }
    }

    static String noDockerMessage(String reason) {
        return KafkaTestBackend.PROPERTY + "=testcontainers (or " + KafkaTestBackend.ENVIRONMENT
                + "=testcontainers, or -Ptestcontainers) asks for Testcontainers Kafka, but Docker was not found ("
                + reason + "). Start a Docker engine, or run without it: 'mvn test' uses Kafka's in-process broker"
                + " (-D" + KafkaTestBackend.PROPERTY + "=inprocess).";
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}

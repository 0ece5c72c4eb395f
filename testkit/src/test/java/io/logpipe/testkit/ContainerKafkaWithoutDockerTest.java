package io.logpipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** Where no Docker engine answers, asking for Testcontainers fails at once with one clear message and no fallback. */
class ContainerKafkaWithoutDockerTest {

    @Test
    void failsFastNamingTheSettingAndTheWayOut() {
        assumeFalse(dockerAnswers(), "a Docker engine answers here: this test pins the behaviour without one");
        String previous = System.getProperty(KafkaTestBackend.PROPERTY);
        System.setProperty(KafkaTestBackend.PROPERTY, "testcontainers");
        KafkaBrokerExtension extension = new KafkaBrokerExtension();
        long start = System.nanoTime();
        try {
            assertThatThrownBy(() -> extension.beforeAll(null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("logpipe.test.kafka=testcontainers")
                    .hasMessageContaining("Docker was not found")
                    .hasMessageContaining("'mvn test' uses Kafka's in-process broker");
            // no fallback: the extension did not quietly start the in-process broker instead
            assertThatThrownBy(extension::bootstrapServers).hasMessageContaining("not running");
        } finally {
            restore(previous);
        }
        assertThat(System.nanoTime() - start).as("fails fast, not after a long wait").isLessThan(60_000_000_000L);
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty(KafkaTestBackend.PROPERTY);
        } else {
            System.setProperty(KafkaTestBackend.PROPERTY, previous);
        }
    }
}

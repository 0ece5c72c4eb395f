package io.logpipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KafkaTestBackendTest {

    @Test
    void inProcessIsTheDefault() {
        assertThat(KafkaTestBackend.parse(null)).isEqualTo(KafkaTestBackend.INPROCESS);
        assertThat(KafkaTestBackend.parse(" ")).isEqualTo(KafkaTestBackend.INPROCESS);
    }

    @Test
    void bothBackendsParseIgnoringCase() {
        assertThat(KafkaTestBackend.parse("inprocess")).isEqualTo(KafkaTestBackend.INPROCESS);
        assertThat(KafkaTestBackend.parse("TestContainers")).isEqualTo(KafkaTestBackend.TESTCONTAINERS);
    }

    @Test
    void unknownValueNamesTheSettingAndTheAllowedValues() {
        assertThatThrownBy(() -> KafkaTestBackend.parse("docker"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("logpipe.test.kafka (or LOGPIPE_TEST_KAFKA) is 'docker', which is not a Kafka test backend;"
                        + " allowed: inprocess, testcontainers");
    }
}

package io.logpipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logpipe.kafka.KafkaClientConfig;
import io.logpipe.kafka.TopicNames;
import io.logpipe.observability.MetricsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    /** A component config as the components write theirs. */
    record SampleConfig(KafkaClientConfig kafka, TopicNames topics, MetricsConfig metrics, Duration flushInterval, ByteSize maxLine) {
        SampleConfig {
            kafka = kafka == null ? KafkaClientConfig.local(null) : kafka;
            topics = topics == null ? TopicNames.DEFAULTS : topics;
            metrics = (metrics == null ? new MetricsConfig(null, null, null) : metrics).withDefaultPort(9400);
            flushInterval = flushInterval == null ? Duration.ofSeconds(1) : flushInterval;
            maxLine = maxLine == null ? ByteSize.parse("256KiB") : maxLine;
            ConfigException.require(!flushInterval.isNegative() && !flushInterval.isZero(), "flush_interval", "must be positive");
        }
    }

    private final ConfigLoader loader = new ConfigLoader(Map.of("KAFKA_PASSWORD", "s3cret", "BROKERS", "kafka-1:9093")::get);

    @Test
    void emptyFileGivesDefaults() {
        SampleConfig config = loader.parse("", SampleConfig.class, "c.yaml");

        assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.topics().raw()).isEqualTo("logs.raw");
        assertThat(config.topics().errorRates()).isEqualTo("logs.error-rates");
        assertThat(config.metrics().port()).isEqualTo(9400);
        assertThat(config.maxLine().bytes()).isEqualTo(256 * 1024);
    }

    @Test
    void expandsEnvironmentVariablesWithDefaults() {
        SampleConfig config = loader.parse("""
                kafka:
                  bootstrap_servers: ${BROKERS}
                  security_protocol: SASL_SSL
                  sasl: {username: collector, password: "${KAFKA_PASSWORD}"}
                topics:
                  raw: ${RAW_TOPIC:-homelab.raw}
                flush_interval: 250ms
                max_line: 10MB
                """, SampleConfig.class, "c.yaml");

        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka-1:9093");
        assertThat(config.kafka().sasl().password().value()).isEqualTo("s3cret");
        assertThat(config.topics().raw()).isEqualTo("homelab.raw");
        assertThat(config.flushInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.maxLine().bytes()).isEqualTo(10_000_000);
        assertThat(config.kafka().clientProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void secretsDoNotShowInToString() {
        SampleConfig config = loader.parse("""
                kafka: {security_protocol: SASL_PLAINTEXT, sasl: {username: u, password: "${KAFKA_PASSWORD}"}}
                """, SampleConfig.class, "c.yaml");

        assertThat(config.toString()).doesNotContain("s3cret").contains("******");
    }

    @Test
    void misspeltKeyNamesFileKeyAndAllowedKeys() {
        assertThatThrownBy(() -> loader.parse("kafka:\n  bootstrap_server: x:1\n", SampleConfig.class, "/etc/logpipe/collector.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("/etc/logpipe/collector.yaml: unknown key 'kafka.bootstrap_server'")
                .hasMessageContaining("bootstrap_servers");
    }

    @Test
    void unsetVariableWithoutDefaultNamesKeyAndVariable() {
        assertThatThrownBy(() -> loader.parse("kafka:\n  sasl: {username: u, password: \"${NOPE}\"}\n", SampleConfig.class, "c.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("c.yaml: key 'kafka.sasl.password' uses ${NOPE}");
    }

    @Test
    void badEnumListsAllowedValues() {
        assertThatThrownBy(() -> loader.parse("kafka: {security_protocol: TLS}\n", SampleConfig.class, "c.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("c.yaml: key 'kafka.security_protocol'")
                .hasMessageContaining("PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
    }

    @Test
    void badDurationSaysWhatIsExpected() {
        assertThatThrownBy(() -> loader.parse("flush_interval: soon\n", SampleConfig.class, "c.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'flush_interval'")
                .hasMessageContaining("duration");
    }

    @Test
    void validationInConstructorNamesTheKey() {
        assertThatThrownBy(() -> loader.parse("metrics: {port: 70000}\n", SampleConfig.class, "c.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("c.yaml: key 'metrics.port': must be between 0 and 65535");
    }

    @Test
    void saslWithoutPasswordIsRefused() {
        assertThatThrownBy(() -> loader.parse("kafka: {security_protocol: SASL_SSL}\n", SampleConfig.class, "c.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.sasl")
                .hasMessageContaining("needs sasl.username and sasl.password");
    }

    @Test
    void badBootstrapAddressIsRefused() {
        assertThatThrownBy(() -> loader.parse("kafka: {bootstrap_servers: 'kafka'}\n", SampleConfig.class, "c.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.bootstrap_servers")
                .hasMessageContaining("host:port");
    }

    @Test
    void invalidYamlIsAClearError() {
        assertThatThrownBy(() -> loader.parse("kafka: [unclosed\n", SampleConfig.class, "c.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("c.yaml: not valid YAML");
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> loader.load(missing, SampleConfig.class))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": no such config file");
    }

    @Test
    void loadsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "metrics: {port: 9999}\n");
        assertThat(loader.load(file, SampleConfig.class).metrics().port()).isEqualTo(9999);
    }

    @Test
    void dollarDollarIsALiteralDollar() {
        SampleConfig config = loader.parse("topics: {raw: 'a$$b'}\n", SampleConfig.class, "c.yaml");
        assertThat(config.topics().raw()).isEqualTo("a$b");
    }

    @Test
    void durationsAndSizesParse() {
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("1500")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ByteSize.parse("1MiB").bytes()).isEqualTo(1 << 20);
        assertThat(ByteSize.parse("64kb").bytes()).isEqualTo(64_000);
        assertThatThrownBy(() -> Durations.parse("5 minutes")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> ByteSize.parse("lots")).hasMessageContaining("not a size");
    }
}

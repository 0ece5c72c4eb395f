package io.logpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logpipe.config.ConfigException;
import io.logpipe.config.ConfigLoader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkConfigTest {
    private final ConfigLoader loader = new ConfigLoader(Map.of("LOKI_PASSWORD", "pw-from-env", "LOKI_TOKEN", "tok")::get);

    @Test
    void everyKeyHasADefault() {
        SinkConfig config = loader.parse("", SinkConfig.class, "sink.yaml");
        assertThat(config.loki().pushUrl()).isEqualTo("http://localhost:3100/loki/api/v1/push");
        assertThat(config.loki().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.metrics().port()).isEqualTo(9403);
        assertThat(config.consumerGroup()).isEqualTo("logpipe-loki-sink");
        assertThat(config.topics().enriched()).isEqualTo("logs.enriched");
        assertThat(config.topics().dlq()).isEqualTo("logs.dlq");
        assertThat(config.batch().maxBytes().bytes()).isEqualTo(1024 * 1024);
        assertThat(config.batch().maxWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.retry().minBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.lineLimit().maxBytes()).isEqualTo(262144);
        assertThat(config.labelLimits().maxNamesPerSeries()).isEqualTo(30);
    }

    @Test
    void aFullFileWithSecretsFromTheEnvironment() {
        SinkConfig config = loader.parse("""
                kafka: {bootstrap_servers: "kafka:9092"}
                consumer_group: sink-a
                metrics: {port: 9999}
                loki:
                  url: https://loki.homelab:3100/
                  tenant: homelab
                  auth: {username: logpipe, password: "${LOKI_PASSWORD}"}
                  timeout: 3s
                  structured_metadata: false
                batch: {max_bytes: 512KiB, max_wait: 250ms}
                retry: {min_backoff: 100ms, max_backoff: 1m}
                max_line_size: 64KiB
                line_truncation_marker: " [cut]"
                label_limits: {max_names_per_series: 15}
                """, SinkConfig.class, "sink.yaml");
        assertThat(config.loki().pushUrl()).isEqualTo("https://loki.homelab:3100/loki/api/v1/push");
        assertThat(config.loki().auth().password().value()).isEqualTo("pw-from-env");
        assertThat(config.loki().auth().toString()).doesNotContain("pw-from-env");
        assertThat(config.loki().structuredMetadata()).isFalse();
        assertThat(config.batch().maxBytes().bytes()).isEqualTo(512 * 1024);
        assertThat(config.retry().maxBackoff()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.lineLimit().fit("a".repeat(70_000))).endsWith(" [cut]").hasSize(65536);
        assertThat(config.labelLimits().maxNamesPerSeries()).isEqualTo(15);
        assertThat(config.labelLimits().maxValueLength()).isEqualTo(2048);
    }

    @Test
    void mistakesNameTheKey() {
        assertThatThrownBy(() -> loader.parse("loki: {urll: x}", SinkConfig.class, "sink.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.yaml").hasMessageContaining("urll");
        assertThatThrownBy(() -> loader.parse("loki: {url: ftp://x}", SinkConfig.class, "sink.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("loki.url");
        assertThatThrownBy(() -> loader.parse("loki: {auth: {username: a, password: b, bearer_token: c}}", SinkConfig.class, "sink.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bearer_token");
        assertThatThrownBy(() -> loader.parse("loki: {auth: {username: a}}", SinkConfig.class, "sink.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("password");
        assertThatThrownBy(() -> loader.parse("retry: {min_backoff: 10s, max_backoff: 1s}", SinkConfig.class, "sink.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("retry.max_backoff");
        assertThatThrownBy(() -> loader.parse("batch: {max_wait: soon}", SinkConfig.class, "sink.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("batch.max_wait");
        assertThatThrownBy(() -> loader.parse("loki: {tls: {ca_file: /nonexistent/ca.crt}}", SinkConfig.class, "sink.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("loki.tls.ca_file");
    }

    @Test
    void kafkaPropertiesTuneTheClientsButCannotUndoWhatNothingLostRestsOn() {
        assertThat(loader.parse("kafka: {properties: {fetch.max.bytes: \"10485760\"}}", SinkConfig.class, "sink.yaml")
                .kafka().properties()).containsEntry("fetch.max.bytes", "10485760");
        assertThatThrownBy(() -> loader.parse("kafka: {properties: {enable.auto.commit: \"true\"}}", SinkConfig.class, "sink.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sink.yaml").hasMessageContaining("kafka.properties")
                .hasMessageContaining("'enable.auto.commit' cannot be set here");
        assertThatThrownBy(() -> loader.parse("kafka: {properties: {group.id: other}}", SinkConfig.class, "sink.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("use consumer_group");
        assertThat(LokiSink.consumerProperties(SinkConfig.of("localhost:9092", "http://localhost:3100")))
                .containsKeys(LokiSink.SET_BY_THE_SINK.keySet().stream()
                        .filter(name -> !name.equals("acks") && !name.equals("enable.idempotence")).toArray(String[]::new));
        assertThat(LokiSink.producerProperties(SinkConfig.of("localhost:9092", "http://localhost:3100")))
                .containsEntry("acks", "all").containsEntry("enable.idempotence", true);
    }
}

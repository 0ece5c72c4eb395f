package io.logpipe.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logpipe.collector.source.file.FileSourceConfig;
import io.logpipe.config.ConfigException;
import io.logpipe.config.ConfigLoader;
import io.logpipe.kafka.KafkaClientConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example configs in collector/examples load, and reproduce the plan's two Promtail configurations. */
class ExampleConfigsTest {
    private static final Path EXAMPLES = Path.of("examples");
    /** The compute node's example is the config the systemd package installs, with its CA at this path. */
    private static final String INSTALLED_CA_FILE = "/etc/logpipe/kafka-ca.crt";

    @TempDir
    static Path tmp;
    private static Path caFile;
    private final ConfigLoader loader = new ConfigLoader(name -> switch (name) {
        case "NODE_NAME" -> "asuna";
        case "KAFKA_PASSWORD" -> "from-the-kafka-user-secret";
        case "KAFKA_CA_FILE" -> caFile.toString();
        default -> null;
    });

    @BeforeAll
    static void writeCaFile() throws Exception {
        caFile = Files.writeString(tmp.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void serviceNodeReadsPodsAndEvents() {
        CollectorConfig config = loader.load(EXAMPLES.resolve("service-node.yaml"), CollectorConfig.class);
        assertThat(config.host()).isEqualTo("asuna");
        assertThat(config.kafka().bootstrapServers()).isEqualTo("logpipe-kafka-bootstrap.homelab.svc:9093");
        assertThat(config.metrics().port()).isEqualTo(9401);
        assertThat(config.sources().pods()).singleElement().satisfies(pods -> {
            assertThat(pods.paths()).containsExactly("/var/log/pods/*/*/*.log");
            assertThat(pods.nodeName()).isEqualTo("asuna");
            assertThat(pods.kubernetesMetadata()).isTrue();
        });
        assertThat(config.sources().events()).singleElement()
                .satisfies(events -> assertThat(events.labels()).isEqualTo(Map.of("job", "kubernetes-events")));
        assertThat(config.sources().journald()).isEmpty();
    }

    @Test
    void computeNodeReadsJournaldSyslogAndOllama() throws Exception {
        String installed = Files.readString(EXAMPLES.resolve("compute-node.yaml"));
        CollectorConfig config = loader.parse(installed.replace(INSTALLED_CA_FILE, caFile.toString()), CollectorConfig.class,
                "compute-node.yaml");
        assertThat(config.host()).isEqualTo("pesubuntu");
        assertThat(config.kafka().securityProtocol()).isEqualTo(KafkaClientConfig.SecurityProtocol.SASL_SSL);
        assertThat(config.sources().journald()).singleElement().satisfies(journal -> {
            assertThat(journal.maxAge()).isEqualTo(Duration.ofHours(12));
            assertThat(journal.labels()).isEqualTo(Map.of("job", "systemd-journal", "host", "pesubuntu"));
            assertThat(journal.units()).isEmpty();
        });
        assertThat(config.sources().files()).extracting(FileSourceConfig::name).containsExactly("syslog", "ollama");
        assertThat(config.sources().files().get(0).paths()).containsExactly("/var/log/syslog");
        assertThat(config.sources().files().get(0).labels()).isEqualTo(Map.of("job", "syslog", "host", "pesubuntu"));
        assertThat(config.sources().files().get(1).paths()).containsExactly("/var/log/ollama/*.log");
        assertThat(config.sources().files().get(1).labels()).isEqualTo(Map.of("job", "ollama", "host", "pesubuntu", "service", "ollama"));
    }

    @Test
    void badKeysAndDuplicateNamesNameTheKey() {
        assertThatThrownBy(() -> loader.parse("sources: {files: [{name: a, paths: [x]}, {name: a, paths: [y]}]}",
                CollectorConfig.class, "c.yaml")).isInstanceOf(ConfigException.class).hasMessageContaining("'a' is used twice");
        assertThatThrownBy(() -> loader.parse("sources: {files: [{name: a, paths: [x], long_lines: wrap}]}",
                CollectorConfig.class, "c.yaml")).isInstanceOf(ConfigException.class).hasMessageContaining("long_lines");
        assertThatThrownBy(() -> loader.parse("sources: {journald: [{max_agee: 1h}]}", CollectorConfig.class, "c.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max_agee");
        assertThatThrownBy(() -> loader.parse("producer: {compression: brotli}", CollectorConfig.class, "c.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("compression");
    }

    @Test
    void kafkaPropertiesTuneTheClientButCannotSetWhatTheCollectorDecides() {
        CollectorConfig tuned = loader.parse("kafka: {properties: {reconnect.backoff.max.ms: \"10000\"}}", CollectorConfig.class, "c.yaml");
        assertThat(tuned.kafka().properties()).containsEntry("reconnect.backoff.max.ms", "10000");
        assertThatThrownBy(() -> loader.parse("kafka: {properties: {linger.ms: \"50\"}}", CollectorConfig.class, "c.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("c.yaml").hasMessageContaining("kafka.properties")
                .hasMessageContaining("'linger.ms' cannot be set here: use producer.linger");
        assertThatThrownBy(() -> loader.parse("kafka: {properties: {acks: \"1\"}}", CollectorConfig.class, "c.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'acks' cannot be set here");
    }
}

package io.logpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.collector.CollectorConfig;
import io.logpipe.collector.source.file.FileSourceConfig;
import io.logpipe.config.ConfigLoader;
import io.logpipe.kafka.KafkaClientConfig;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.kafka.listener.KafkaListenerType;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** collector/packaging/systemd: the compute node's unit, config and install script. */
class SystemdPackagingTest {
    private static final Path PACKAGING = Repository.path("collector/packaging/systemd");
    private static final String CA_FILE = "/etc/logpipe/kafka-ca.crt";

    @Test
    void pesubuntuConfigLoadsWithTheCollectorsConfigRecord(@TempDir Path dir) throws Exception {
        // the CA exists only on pesubuntu: point the config at a stand-in file
        Path ca = Files.writeString(dir.resolve("kafka-ca.crt"), "-----BEGIN CERTIFICATE-----\n");
        String text = Files.readString(PACKAGING.resolve("pesubuntu.yaml"));
        assertThat(text).contains("ca_file: " + CA_FILE);
        CollectorConfig config = new ConfigLoader(Map.of("KAFKA_PASSWORD", "from-collector-env")::get)
                .parse(text.replace(CA_FILE, ca.toString()), CollectorConfig.class, "pesubuntu.yaml");

        assertThat(config.host()).isEqualTo("pesubuntu");
        assertThat(config.kafka().securityProtocol()).isEqualTo(KafkaClientConfig.SecurityProtocol.SASL_SSL);
        assertThat(config.kafka().sasl().mechanism()).isEqualTo(KafkaClientConfig.SaslMechanism.SCRAM_SHA_512);
        assertThat(config.kafka().sasl().username()).as("a KafkaUser of strimzi/30-users.yaml").isEqualTo("logpipe-collector-pesubuntu");
        assertThat(config.kafka().sasl().password().value()).isEqualTo("from-collector-env");
        assertThat(config.metrics().port()).isEqualTo(CollectorConfig.DEFAULT_METRICS_PORT);

        assertThat(config.sources().journald()).singleElement().satisfies(journald ->
                assertThat(journald.labels()).containsEntry("job", "systemd-journal").containsEntry("host", "pesubuntu"));
        Map<String, FileSourceConfig> files = config.sources().files().stream()
                .collect(Collectors.toMap(FileSourceConfig::name, f -> f));
        assertThat(files.get("syslog").paths()).containsExactly("/var/log/syslog");
        assertThat(files.get("syslog").labels()).containsEntry("job", "syslog").containsEntry("host", "pesubuntu");
        assertThat(files.get("syslog").timestamp()).as("syslog lines keep their own time").isNotNull();
        assertThat(files.get("ollama").paths()).containsExactly("/var/log/ollama/*.log");
        assertThat(files.get("ollama").labels()).containsEntry("job", "ollama").containsEntry("service", "ollama");
    }

    @Test
    void configReachesTheStrimziNodePortListener() throws Exception {
        Kafka kafka = Yaml.documents(Repository.path("strimzi/10-kafka.yaml")).stream()
                .filter(d -> d.path("kind").asText().equals("Kafka")).map(d -> Yaml.convert(d, Kafka.class)).findFirst().orElseThrow();
        GenericKafkaListener nodePort = kafka.getSpec().getKafka().getListeners().stream()
                .filter(l -> l.getType() == KafkaListenerType.NODEPORT).findFirst().orElseThrow();
        String host = nodePort.getConfiguration().getBrokers().get(0).getAdvertisedHost();
        int port = nodePort.getConfiguration().getBootstrap().getNodePort();
        assertThat(Files.readString(PACKAGING.resolve("pesubuntu.yaml"))).contains("bootstrap_servers: " + host + ":" + port);
    }

    @Test
    void unitRunsAsADedicatedUserWithHardeningAndSecretsFromAnEnvironmentFile() throws Exception {
        Map<String, List<String>> service = section(Files.readAllLines(PACKAGING.resolve("logpipe-collector.service")), "Service");
        assertThat(service.get("User")).containsExactly("logpipe");
        assertThat(service.get("SupplementaryGroups")).containsExactly("systemd-journal adm");
        assertThat(service.get("EnvironmentFile")).containsExactly("/etc/logpipe/collector.env");
        assertThat(service.get("ExecStart")).singleElement().asString().contains("collector --config /etc/logpipe/collector.yaml");
        assertThat(service.get("ProtectSystem")).containsExactly("strict");
        assertThat(service.get("NoNewPrivileges")).containsExactly("yes");
        assertThat(service.get("ReadWritePaths")).containsExactly("/var/lib/logpipe/collector");
        assertThat(service.get("Restart")).containsExactly("always");
        String install = Files.readString(PACKAGING.resolve("install.sh"));
        assertThat(install).as("install.sh puts the CA where the config reads it").contains(CA_FILE)
                .contains("/etc/logpipe/collector.env").contains("chmod 0600 /etc/logpipe/collector.env")
                .contains("usermod -a -G systemd-journal,adm logpipe");
    }

    @Test
    void systemdAcceptsTheUnit(@TempDir Path dir) throws Exception {
        Path analyze = onPath("systemd-analyze");
        // ExecStart must exist for verify; everything else is the unit as shipped
        Path logpipe = Files.writeString(dir.resolve("logpipe"), "#!/bin/sh\n");
        logpipe.toFile().setExecutable(true);
        Path unit = dir.resolve("logpipe-collector.service");
        Files.writeString(unit, Files.readString(PACKAGING.resolve("logpipe-collector.service")).replace("/opt/logpipe/bin/logpipe", logpipe.toString()));
        Process verify = new ProcessBuilder(analyze.toString(), "verify", "--man=no", unit.toString()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // systemd-analyze reports unknown keys and bad values but still exits 0: any output is a problem
        assertThat(output).as("systemd-analyze verify").isEmpty();
        assertThat(verify.exitValue()).isZero();
    }

    @Test
    void installScriptIsValidShell() throws Exception {
        Process check = new ProcessBuilder("sh", "-n", PACKAGING.resolve("install.sh").toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(Files.isExecutable(PACKAGING.resolve("install.sh"))).isTrue();
    }

    private static Map<String, List<String>> section(List<String> lines, String name) {
        Map<String, List<String>> entries = new LinkedHashMap<>();
        boolean inside = false;
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("[")) {
                inside = trimmed.equals("[" + name + "]");
            } else if (inside && !trimmed.isEmpty() && !trimmed.startsWith("#") && trimmed.contains("=")) {
                int eq = trimmed.indexOf('=');
                entries.computeIfAbsent(trimmed.substring(0, eq), k -> new ArrayList<>()).add(trimmed.substring(eq + 1));
            }
        }
        return entries;
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(program + " is not installed (Debian package systemd)");
    }
}

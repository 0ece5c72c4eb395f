package io.logpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.logpipe.collector.CollectorConfig;
import io.logpipe.config.ConfigLoader;
import io.logpipe.kafka.KafkaClientConfig;
import io.logpipe.kafka.TopicNames;
import io.logpipe.launcher.Logpipe;
import io.logpipe.processor.ProcessorConfig;
import io.logpipe.sink.SinkConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The chart runs the components the way they read their configuration: each container's
 * command is a real {@code logpipe} sub-command, its config file (the rendered ConfigMap) loads
 * with the component's own config record and {@link ConfigLoader} — so every key is one the
 * component knows — with the environment the pod gives it, and ports, paths, users and groups
 * agree with the Services, volumes and Strimzi resources.
 */
class ComponentConfigTest {
    @TempDir
    static Path secretFiles;

    @Test
    void everyContainerRunsTheOneImageWithARealSubcommand() throws IOException {
        String appVersion = Yaml.document(Files.readString(RenderedChart.CHART.resolve("Chart.yaml"))).path("appVersion").asText();
        CommandLine logpipe = new CommandLine(new Logpipe());
        for (RenderedChart chart : RenderedChart.both()) {
            for (String component : List.of("collector", "processor", "sink")) {
                Container container = container(chart, component);
                assertThat(container.getImage()).as(chart + ": " + component).isEqualTo("ghcr.io/logpipe/logpipe:" + appVersion);
                String subcommand = container.getArgs().get(0);
                assertThat(logpipe.getSubcommands()).as("`logpipe %s` exists", subcommand).containsKey(subcommand);
                assertThat(logpipe.getSubcommands().get(subcommand).getCommandSpec().findOption("--config"))
                        .as("`logpipe %s --config`", subcommand).isNotNull();
            }
        }
    }

    @Test
    void theImageRunsTheLaunchersJarAsTheUserTheChartExpects() throws IOException {
        List<String> containerfile = Files.readAllLines(Repository.path("deploy/container/Containerfile"));
        assertThat(containerfile).as("the shaded jar bin/logpipe and the launcher build")
                .anyMatch(line -> line.startsWith("COPY launcher/target/logpipe.jar "));
        assertThat(containerfile).contains("USER 10001:10001")
                .anyMatch(line -> line.startsWith("ENTRYPOINT [\"java\", \"-jar\", \"/opt/logpipe/logpipe.jar\"]"));
        for (RenderedChart chart : RenderedChart.both()) {
            for (PodSpec pod : HelmChartTest.workloads(chart)) {
                if (pod.getContainers().get(0).getImage().startsWith("ghcr.io/logpipe/")) {
                    assertThat(pod.getSecurityContext().getRunAsUser()).as(chart + ": the image's user").isEqualTo(10001L);
                }
            }
        }
    }

    @Test
    void collectorConfigLoadsAndMatchesTheDaemonSet() {
        for (RenderedChart chart : RenderedChart.both()) {
            PodSpec pod = chart.one(DaemonSet.class, "logpipe-collector").getSpec().getTemplate().getSpec();
            Container container = HelmChartTest.container(pod, "collector");
            CollectorConfig config = load(chart, pod, container, CollectorConfig.class);

            assertThat(config.host()).as("host = NODE_NAME from the downward API").isEqualTo("node-from-downward-api");
            assertKafka(config.kafka(), config.topics(), container, "logpipe-collector");
            assertMetricsPort(container, config.metrics().port(), CollectorConfig.DEFAULT_METRICS_PORT);
            VolumeMount checkpoints = mountAt(container, config.checkpointDir().toString());
            assertThat(checkpoints.getReadOnly()).as("checkpoints are written").isNotEqualTo(Boolean.TRUE);
            assertThat(volume(pod, checkpoints).getHostPath()).as("checkpoints outlive the pod").isNotNull();
            assertThat(config.sources().pods()).singleElement().satisfies(pods -> {
                assertThat(pods.nodeName()).isEqualTo("node-from-downward-api");
                assertThat(pods.paths()).allSatisfy(glob -> assertThat(glob).startsWith(mountAt(container, "/var/log/pods").getMountPath() + "/"));
            });
            assertThat(config.sources().events()).as("Kubernetes events (job=\"kubernetes-events\")").hasSize(1);
        }
    }

    @Test
    void processorConfigLoadsAndMatchesTheDeploymentAndTheStrimziAcls() {
        for (RenderedChart chart : RenderedChart.both()) {
            PodSpec pod = chart.one(Deployment.class, "logpipe-processor").getSpec().getTemplate().getSpec();
            Container container = HelmChartTest.container(pod, "processor");
            ProcessorConfig config = load(chart, pod, container, ProcessorConfig.class);

            assertKafka(config.kafka(), config.topics(), container, "logpipe-processor");
            assertMetricsPort(container, config.metrics().port(), ProcessorConfig.DEFAULT_METRICS_PORT);
            assertThat(config.applicationId()).as("the group, transactional id and topic prefix strimzi/30-users.yaml allows")
                    .isEqualTo(ProcessorConfig.DEFAULT_APPLICATION_ID);
            assertThat(volume(pod, mountAt(container, config.stateDir().toString())).getEmptyDir()).as("state_dir is writable").isNotNull();
        }
    }

    @Test
    void sinkConfigLoadsAndPointsAtLoki() {
        RenderedChart bundled = RenderedChart.withDefaults();
        PodSpec pod = bundled.one(Deployment.class, "logpipe-sink").getSpec().getTemplate().getSpec();
        Container container = HelmChartTest.container(pod, "sink");
        SinkConfig config = load(bundled, pod, container, SinkConfig.class);
        assertKafka(config.kafka(), config.topics(), container, "logpipe-sink");
        assertMetricsPort(container, config.metrics().port(), SinkConfig.DEFAULT_METRICS_PORT);
        assertThat(config.consumerGroup()).as("the group strimzi/30-users.yaml allows").isEqualTo(SinkConfig.DEFAULT_CONSUMER_GROUP);
        assertThat(config.loki().url()).as("the bundled Loki's Service").isEqualTo("http://logpipe-loki.homelab.svc:3100");
        assertThat(config.loki().auth()).isNull();

        RenderedChart external = RenderedChart.withProductionValues();
        pod = external.one(Deployment.class, "logpipe-sink").getSpec().getTemplate().getSpec();
        container = HelmChartTest.container(pod, "sink");
        config = load(external, pod, container, SinkConfig.class);
        assertThat(config.loki().url()).isEqualTo("https://loki.monitoring.svc:3100");
        assertThat(config.loki().tenant()).isEqualTo("homelab");
        assertThat(config.loki().auth().username()).isEqualTo("secret:loki-push-credentials/username");
        assertThat(config.loki().auth().password().value()).isEqualTo("secret:loki-push-credentials/password");
    }

    /** Kafka over the internal TLS listener with the component's own KafkaUser, the default topic names. */
    private static void assertKafka(KafkaClientConfig kafka, TopicNames topics, Container container, String kafkaUser) {
        assertThat(kafka.securityProtocol()).isEqualTo(KafkaClientConfig.SecurityProtocol.SASL_SSL);
        assertThat(kafka.sasl().mechanism()).isEqualTo(KafkaClientConfig.SaslMechanism.SCRAM_SHA_512);
        assertThat(kafka.sasl().username()).isEqualTo(kafkaUser);
        assertThat(kafka.sasl().password().value()).as("the password from the KafkaUser's Secret")
                .isEqualTo("secret:" + kafkaUser + "/password");
        assertThat(kafka.bootstrapServers()).isEqualTo("logpipe-kafka-bootstrap.homelab.svc:9093");
        assertThat(kafka.tls().caFile()).as("CA file from " + container.getName() + "'s secret volume").startsWith(secretFiles.toString());
        assertThat(topics).isEqualTo(TopicNames.DEFAULTS);
    }

    private static void assertMetricsPort(Container container, int configured, int convention) {
        ContainerPort metrics = container.getPorts().stream().filter(p -> "metrics".equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no port named metrics"));
        assertThat(configured).as(container.getName() + " metrics port").isEqualTo(convention).isEqualTo(metrics.getContainerPort());
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    }

    /**
     * Loads the config file the container's {@code --config} names, from the ConfigMap mounted
     * there, with the environment the pod gives: plain values as they are, the node name for the
     * downward API, {@code secret:<name>/<key>} for a Secret reference, and for a path inside a
     * mounted Secret a real file standing in for the Secret's key.
     */
    private static <T> T load(RenderedChart chart, PodSpec pod, Container container, Class<T> type) {
        List<String> args = container.getArgs();
        assertThat(args).hasSize(3).element(1).isEqualTo("--config");
        VolumeMount configMount = mountAt(container, args.get(2));
        Volume configVolume = volume(pod, configMount);
        assertThat(configVolume.getConfigMap()).as(args.get(2) + " comes from a ConfigMap").isNotNull();
        ConfigMap configMap = chart.one(ConfigMap.class, configVolume.getConfigMap().getName());
        String text = configMap.getData().get(configMount.getSubPath());
        assertThat(text).as("ConfigMap %s key %s", configMap.getMetadata().getName(), configMount.getSubPath()).isNotNull();

        Map<String, String> environment = new HashMap<>();
        for (EnvVar env : container.getEnv()) {
            environment.put(env.getName(), environmentValue(pod, container, env));
        }
        return new ConfigLoader(environment::get).parse(text, type, chart + ": " + configMap.getMetadata().getName());
    }

    private static String environmentValue(PodSpec pod, Container container, EnvVar env) {
        if (env.getValueFrom() != null) {
            if (env.getValueFrom().getSecretKeyRef() != null) {
                return "secret:" + env.getValueFrom().getSecretKeyRef().getName() + "/" + env.getValueFrom().getSecretKeyRef().getKey();
            }
            assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
            return "node-from-downward-api";
        }
        for (VolumeMount mount : container.getVolumeMounts()) {
            Volume volume = volume(pod, mount);
            if (volume.getSecret() != null && env.getValue().startsWith(mount.getMountPath() + "/")) {
                String item = env.getValue().substring(mount.getMountPath().length() + 1);
                assertThat(volume.getSecret().getItems()).as(env.getName() + " names a key the secret volume projects")
                        .anyMatch(projected -> projected.getPath().equals(item));
                try {
                    Path file = secretFiles.resolve(volume.getSecret().getSecretName() + "-" + item);
                    return Files.writeString(file, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n").toString();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return env.getValue();
    }

    private static Container container(RenderedChart chart, String component) {
        PodSpec pod = component.equals("collector")
                ? chart.one(DaemonSet.class, "logpipe-collector").getSpec().getTemplate().getSpec()
                : chart.one(Deployment.class, "logpipe-" + component).getSpec().getTemplate().getSpec();
        return HelmChartTest.container(pod, component);
    }

    private static VolumeMount mountAt(Container container, String path) {
        return container.getVolumeMounts().stream().filter(m -> path.equals(m.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " mounts nothing at " + path));
    }

    private static Volume volume(PodSpec pod, VolumeMount mount) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
    }
}

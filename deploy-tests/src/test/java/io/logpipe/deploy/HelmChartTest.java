package io.logpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HelmChartTest {
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|token|secret|credential|api_?key).*");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{[A-Z_][A-Z0-9_]*}");

    @Test
    void lintStrictPasses() {
        LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @Test
    void valuesSchemaRefusesMisspelledKeysAndUnknownChoices() {
        assertThatThrownBy(() -> RenderedChart.template().set("colector.enabled", "false").call())
                .hasMessageContaining("colector");
        assertThatThrownBy(() -> RenderedChart.template().set("sink.lokiAuth.type", "token").call())
                .hasMessageContaining("/sink/lokiAuth/type");
        assertThatThrownBy(() -> RenderedChart.template().set("loki.enabled", "false").call())
                .as("Loki switched off without a url").hasMessageContaining("loki.url is required");
    }

    @Test
    void everyPartCanBeSwitchedOff() {
        String rendered = RenderedChart.template()
                .set("collector.enabled", "false").set("processor.enabled", "false")
                .set("grafana.datasource.enabled", "false").set("grafana.dashboards.enabled", "false")
                .set("loki.ruler.enabled", "false").call();
        List<String> kinds = new ArrayList<>();
        for (JsonNode manifest : Yaml.documents(rendered)) {
            kinds.add(manifest.path("kind").asText() + "/" + manifest.path("metadata").path("name").asText());
        }
        assertThat(kinds).containsExactlyInAnyOrder(
                "ConfigMap/logpipe-sink", "Deployment/logpipe-sink", "Service/logpipe-sink-metrics",
                "ConfigMap/logpipe-loki", "StatefulSet/logpipe-loki",
                "Service/logpipe-loki", "Service/logpipe-loki-nodeport", "Service/logpipe-loki-headless");
    }

    @Test
    void everyRenderedObjectParsesIntoTheKubernetesModel() {
        for (RenderedChart chart : RenderedChart.both()) {
            assertThat(chart.objects()).as(chart.toString()).isNotEmpty();
            for (HasMetadata object : chart.objects()) {
                String what = chart + ": " + object.getKind() + "/" + object.getMetadata().getName();
                if (object instanceof GenericKubernetesResource) {
                    // fabric8 has no model for the Prometheus Operator's CRDs
                    assertThat(object.getKind()).as(what).isIn("ServiceMonitor", "PrometheusRule");
                    assertThat(object.getApiVersion()).as(what).isEqualTo("monitoring.coreos.com/v1");
                } else {
                    assertThat(UnknownFields.in(object)).as(what + ": fields the Kubernetes model does not know").isEmpty();
                }
            }
        }
    }

    @Test
    void collectorReadsPodLogsReadOnlyAndRunsAsNonRootWithAReadOnlyRoot() {
        for (RenderedChart chart : RenderedChart.both()) {
            PodSpec pod = chart.one(DaemonSet.class, "logpipe-collector").getSpec().getTemplate().getSpec();
            Volume podLogs = pod.getVolumes().stream()
                    .filter(v -> v.getHostPath() != null && v.getHostPath().getPath().equals("/var/log/pods"))
                    .findFirst().orElseThrow(() -> new AssertionError(chart + ": no hostPath volume for /var/log/pods"));
            Container collector = container(pod, "collector");
            assertThat(collector.getVolumeMounts()).filteredOn(m -> m.getName().equals(podLogs.getName()))
                    .singleElement().satisfies(mount -> {
                        assertThat(mount.getReadOnly()).as("/var/log/pods mounted read-only").isTrue();
                        assertThat(mount.getMountPath()).isEqualTo("/var/log/pods");
                    });
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isNotNull().isNotZero();
            assertThat(collector.getSecurityContext().getRunAsUser()).as("container does not override the user").isNull();
            assertThat(collector.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(collector.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(collector.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(collector.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
            assertThat(collector.getResources().getLimits()).containsKeys("cpu", "memory");
            assertThat(collector.getEnv()).filteredOn(e -> e.getName().equals("NODE_NAME")).singleElement()
                    .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName"));
            Volume checkpoints = volumeMountedAt(pod, collector, "/var/lib/logpipe/collector");
            assertThat(checkpoints.getHostPath()).as("checkpoints survive the pod").isNotNull();
        }
    }

    @Test
    void onlyTheCheckpointInitContainerRunsAsRootAndItMayOnlyChown() {
        PodSpec pod = RenderedChart.withDefaults().one(DaemonSet.class, "logpipe-collector").getSpec().getTemplate().getSpec();
        assertThat(pod.getInitContainers()).singleElement().satisfies(init -> {
            assertThat(init.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(init.getSecurityContext().getCapabilities().getAdd()).containsExactly("CHOWN");
            assertThat(init.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(init.getVolumeMounts()).extracting(VolumeMount::getMountPath).containsExactly("/var/lib/logpipe/collector");
        });
        for (RenderedChart chart : RenderedChart.both()) {
            for (PodSpec spec : workloads(chart)) {
                assertThat(spec.getSecurityContext().getRunAsNonRoot()).as(chart + ": pod runAsNonRoot").isTrue();
                for (Container container : spec.getContainers()) {
                    assertThat(container.getSecurityContext().getRunAsUser()).as(container.getName()).isNull();
                    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(container.getName()).isTrue();
                    assertThat(container.getResources().getLimits()).as(container.getName()).containsKeys("cpu", "memory");
                }
            }
        }
    }

    @Test
    void collectorMayOnlyReadPodsAndEvents() {
        ClusterRole role = RenderedChart.withDefaults().one(ClusterRole.class, "logpipe-collector");
        assertThat(role.getRules()).allSatisfy(rule -> {
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
            assertThat(rule.getResources()).isSubsetOf("pods", "events");
        });
        assertThat(role.getRules()).flatExtracting(PolicyRule::getResources).contains("pods", "events");
    }

    @Test
    void noSecretValueInAnyConfigMap() throws Exception {
        for (RenderedChart chart : RenderedChart.both()) {
            List<String> secretValues = new ArrayList<>();
            for (Secret secret : chart.all(Secret.class)) {
                if (secret.getData() != null) {
                    secret.getData().values().forEach(v -> secretValues.add(new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
                }
                if (secret.getStringData() != null) {
                    secretValues.addAll(secret.getStringData().values());
                }
            }
            for (ConfigMap configMap : chart.all(ConfigMap.class)) {
                for (Map.Entry<String, String> file : configMap.getData().entrySet()) {
                    String where = chart + ": ConfigMap " + configMap.getMetadata().getName() + " key " + file.getKey();
                    assertThat(secretValues).as(where).noneMatch(file.getValue()::contains);
                    if (file.getKey().endsWith(".yaml")) {
                        assertSecretsAreReferences(Yaml.document(file.getValue()), "", where);
                    }
                }
            }
            for (PodSpec pod : workloads(chart)) {
                for (Container container : pod.getContainers()) {
                    for (EnvVar env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
                        if (SECRET_NAME.matcher(env.getName()).matches()) {
                            assertThat(env.getValue()).as(chart + ": env " + env.getName() + " of " + container.getName() + " is a plain value").isNull();
                            assertThat(env.getValueFrom().getSecretKeyRef()).as(chart + ": env " + env.getName()).isNotNull();
                        }
                    }
                }
            }
        }
    }

    @Test
    void kafkaCredentialsComeFromStrimziSecrets() {
        for (RenderedChart chart : RenderedChart.both()) {
            for (PodSpec pod : workloads(chart)) {
                Container container = pod.getContainers().get(0);
                if (container.getImage().startsWith("grafana/loki")) {
                    continue;
                }
                EnvVar password = env(container, "KAFKA_PASSWORD");
                String user = env(container, "KAFKA_USERNAME").getValue();
                assertThat(password.getValueFrom().getSecretKeyRef().getName()).as("the KafkaUser's Secret").isEqualTo(user);
                assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
                Volume ca = volumeMountedAt(pod, container, "/etc/logpipe/kafka-ca");
                assertThat(ca.getSecret().getSecretName()).as("Strimzi's cluster CA Secret").isEqualTo("logpipe-cluster-ca-cert");
                assertThat(env(container, "KAFKA_BOOTSTRAP_SERVERS").getValue())
                        .isEqualTo("logpipe-kafka-bootstrap.homelab.svc:9093");
            }
        }
    }

    @Test
    void metricsServicesServeTheComponentsPorts() {
        Map<String, Integer> ports = Map.of("collector", 9401, "processor", 9402, "sink", 9403);
        for (RenderedChart chart : RenderedChart.both()) {
            ports.forEach((component, port) -> {
                Service service = chart.one(Service.class, "logpipe-" + component + "-metrics");
                assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
                    assertThat(p.getPort()).isEqualTo(port);
                    assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics");
                });
                assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/component", component);
            });
        }
    }

    @Test
    void computeNodeCollectorIsScrapedLikeTheDaemonSet() {
        RenderedChart chart = RenderedChart.withProductionValues();
        Service service = chart.one(Service.class, "logpipe-collector-pesubuntu-metrics");
        assertThat(service.getSpec().getSelector()).as("endpoints given by hand").isNullOrEmpty();
        Endpoints endpoints = chart.one(Endpoints.class, "logpipe-collector-pesubuntu-metrics");
        assertThat(endpoints.getSubsets()).singleElement().satisfies(subset -> {
            assertThat(subset.getAddresses()).extracting(EndpointAddress::getIp).containsExactly("100.101.12.7");
            assertThat(subset.getPorts()).singleElement().satisfies(port -> {
                assertThat(port.getPort()).as("collector/packaging/systemd/pesubuntu.yaml metrics.port").isEqualTo(9401);
                assertThat(port.getName()).isEqualTo(service.getSpec().getPorts().get(0).getName());
            });
        });
        JsonNode serviceMonitor = chart.manifests().stream().filter(m -> m.path("kind").asText().equals("ServiceMonitor")).findFirst().orElseThrow();
        serviceMonitor.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(label ->
                assertThat(service.getMetadata().getLabels()).containsEntry(label.getKey(), label.getValue().asText()));
        assertThat(RenderedChart.withDefaults().all(Endpoints.class)).isEmpty();
    }

    @Test
    void prometheusRuleAndLokiRulesEmbedTheRuleFiles() throws Exception {
        JsonNode prometheusRules = Yaml.document(Files.readString(RenderedChart.CHART.resolve("files/alerts/prometheus-rules.yaml")));
        JsonNode rendered = RenderedChart.withProductionValues().manifests().stream()
                .filter(m -> m.path("kind").asText().equals("PrometheusRule")).findFirst().orElseThrow();
        assertThat(rendered.path("spec")).isEqualTo(prometheusRules);
        assertThat(RenderedChart.withProductionValues().find(ConfigMap.class, "logpipe-loki-rules")).as("Loki switched off").isEmpty();

        String lokiRules = Files.readString(RenderedChart.CHART.resolve("files/alerts/loki-rules.yaml"));
        assertThat(Yaml.document(RenderedChart.withDefaults().configFile("logpipe-loki-rules", "logpipe-rules.yaml")))
                .isEqualTo(Yaml.document(lokiRules));
        assertThat(RenderedChart.withDefaults().manifests()).noneMatch(m -> m.path("kind").asText().equals("PrometheusRule"));
    }

    @Test
    void dashboardsAreConfigMapsForTheGrafanaSidecar() throws Exception {
        List<java.nio.file.Path> files;
        try (var listing = Files.list(RenderedChart.CHART.resolve("files/dashboards"))) {
            files = listing.filter(f -> f.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(4);
        for (RenderedChart chart : RenderedChart.both()) {
            List<ConfigMap> dashboards = chart.all(ConfigMap.class).stream()
                    .filter(c -> "1".equals(c.getMetadata().getLabels().get("grafana_dashboard"))).collect(Collectors.toList());
            assertThat(dashboards).as(chart.toString()).hasSameSizeAs(files);
            for (java.nio.file.Path file : files) {
                String name = file.getFileName().toString();
                ConfigMap configMap = dashboards.stream().filter(c -> c.getData().containsKey(name)).findFirst()
                        .orElseThrow(() -> new AssertionError(chart + ": no dashboard ConfigMap holds " + name));
                assertThat(Yaml.document(configMap.getData().get(name))).isEqualTo(Yaml.document(Files.readString(file)));
            }
            ConfigMap datasource = chart.one(ConfigMap.class, "logpipe-grafana-datasource");
            assertThat(datasource.getMetadata().getLabels()).containsEntry("grafana_datasource", "1");
        }
        assertThat(RenderedChart.withProductionValues().one(ConfigMap.class, "logpipe-grafana-datasource").getMetadata().getNamespace())
                .isEqualTo("monitoring");
    }

    @Test
    void bundledLokiFollowsThePlan() {
        RenderedChart chart = RenderedChart.withDefaults();
        StatefulSet loki = chart.one(StatefulSet.class, "logpipe-loki");
        assertThat(loki.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim ->
                assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("20Gi"));
        Container container = loki.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getResources().getLimits().get("cpu").toString()).isEqualTo("1");
        assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("2Gi");
        JsonNode config = Yaml.document(chart.configFile("logpipe-loki", "loki.yaml"));
        assertThat(config.path("limits_config").path("retention_period").asText()).isEqualTo("168h");
        assertThat(config.path("limits_config").path("reject_old_samples_max_age").asText()).isEqualTo("168h");
        assertThat(config.path("limits_config").path("max_label_names_per_series").asInt()).isEqualTo(15);
        assertThat(config.path("compactor").path("retention_enabled").asBoolean()).isTrue();
        // the ruler reads <directory>/<tenant>/; without auth Loki's tenant is "fake"
        assertThat(config.path("auth_enabled").asBoolean(true)).isFalse();
        String rulesDirectory = config.path("ruler").path("storage").path("local").path("directory").asText();
        Volume rules = volumeMountedAt(loki.getSpec().getTemplate().getSpec(), container, rulesDirectory + "/fake");
        assertThat(rules.getConfigMap().getName()).isEqualTo("logpipe-loki-rules");
        assertThat(container.getVolumeMounts()).as("Loki's data on the volume claim")
                .anyMatch(m -> m.getName().equals("storage") && m.getMountPath().equals(config.path("common").path("path_prefix").asText()));
        assertThat(chart.one(Service.class, "logpipe-loki").getSpec().getType()).isEqualTo("ClusterIP");
        Service nodePort = chart.one(Service.class, "logpipe-loki-nodeport");
        assertThat(nodePort.getSpec().getType()).isEqualTo("NodePort");
        assertThat(nodePort.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30314);
        assertThat(chart.configFile("logpipe-grafana-datasource", "logpipe-loki.yaml")).contains("url: http://logpipe-loki.homelab.svc:3100");
        assertThat(RenderedChart.withProductionValues().find(StatefulSet.class, "logpipe-loki")).isEmpty();
    }

    static List<PodSpec> workloads(RenderedChart chart) {
        List<PodSpec> pods = new ArrayList<>();
        chart.all(DaemonSet.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
        chart.all(Deployment.class).forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
        chart.all(StatefulSet.class).forEach(s -> pods.add(s.getSpec().getTemplate().getSpec()));
        return pods;
    }

    static Container container(PodSpec pod, String name) {
        return pod.getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("container " + container.getName() + " has no env " + name));
    }

    /** The volume mounted at exactly {@code path} in {@code container}. */
    static Volume volumeMountedAt(PodSpec pod, Container container, String path) {
        VolumeMount mount = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " mounts nothing at " + path));
        return pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
    }

    /** Every key that names a secret holds a ${VAR} reference, never the secret itself. */
    private static void assertSecretsAreReferences(JsonNode node, String path, String where) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (SECRET_NAME.matcher(field.getKey()).matches() && field.getValue().isValueNode()) {
                    assertThat(field.getValue().asText()).as(where + ": " + key).matches(ENV_REFERENCE);
                }
                assertSecretsAreReferences(field.getValue(), key, where);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                assertSecretsAreReferences(node.get(i), path + "[" + i + "]", where);
            }
        }
    }
}

package io.logpipe.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code helm template} of helm/logpipe, release {@code logpipe} in namespace {@code homelab}. */
final class RenderedChart {
    static final Path CHART = Repository.path("helm/logpipe");
    static final Path PRODUCTION_VALUES = CHART.resolve("ci/production-values.yaml");
    /** Strimzi 0.51 needs Kubernetes 1.30; helm template would otherwise assume 1.20. */
    private static final String KUBE_VERSION = "1.30.0";

    private final String name;
    private final List<JsonNode> manifests;
    private final List<HasMetadata> objects;

    private RenderedChart(String name, String rendered) {
        this.name = name;
        this.manifests = Yaml.documents(rendered);
        this.objects = new ArrayList<>();
        for (JsonNode manifest : manifests) {
            KubernetesResource parsed = Serialization.unmarshal(manifest.toString());
            objects.add((HasMetadata) parsed);
        }
    }

    /** Rendered once per test run: helm template is the slow part. */
    private static final class Renders {
        static final RenderedChart DEFAULTS = new RenderedChart("default values", template().call());
        static final RenderedChart PRODUCTION = new RenderedChart("ci/production-values.yaml",
                template().withValuesFile(PRODUCTION_VALUES).call());
    }

    static RenderedChart withDefaults() {
        return Renders.DEFAULTS;
    }

    static RenderedChart withProductionValues() {
        return Renders.PRODUCTION;
    }

    static List<RenderedChart> both() {
        return List.of(withDefaults(), withProductionValues());
    }

    static TemplateCommand template() {
        return new Helm(CHART).template().withName("logpipe").withNamespace("homelab").withKubeVersion(KUBE_VERSION);
    }

    List<JsonNode> manifests() {
        return manifests;
    }

    List<HasMetadata> objects() {
        return objects;
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    <T extends HasMetadata> T one(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(
                "no " + type.getSimpleName() + " " + name + " rendered with " + this.name));
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    String configFile(String configMap, String key) {
        String text = one(ConfigMap.class, configMap).getData().get(key);
        if (text == null) {
            throw new AssertionError("ConfigMap " + configMap + " has no key " + key);
        }
        return text;
    }

    @Override
    public String toString() {
        return name;
    }
}

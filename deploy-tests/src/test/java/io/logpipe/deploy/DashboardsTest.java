package io.logpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpipe.selector.Selector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards of helm/logpipe/files/dashboards: valid JSON, unique ids, data sources
 * given by variables, and every LogQL query naming only the Loki labels the pipeline produces.
 * (PipelineMetricsTest checks the Prometheus queries against the exported metrics.)
 */
class DashboardsTest {
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((?:(\\{.*}),\\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\\)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([a-zA-Z_][a-zA-Z0-9_]*)");
    private static final Set<String> GRAFANA_VARIABLES = Set.of("__interval", "__range", "__rate_interval", "__auto", "__all");

    private static final List<Path> files = new ArrayList<>();
    private static final List<JsonNode> dashboards = new ArrayList<>();

    @BeforeAll
    static void readDashboards() throws IOException {
        try (Stream<Path> listing = Files.list(RenderedChart.CHART.resolve("files/dashboards"))) {
            files.addAll(listing.filter(f -> f.toString().endsWith(".json")).sorted().collect(Collectors.toList()));
        }
        ObjectMapper json = new ObjectMapper();
        for (Path file : files) {
            dashboards.add(json.readTree(file.toFile()));
        }
    }

    @Test
    void thePlansFourDashboardsAndThePipelines() {
        assertThat(dashboards).extracting(d -> d.path("uid").asText()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrder("logpipe-kubernetes-pods", "logpipe-homelab-services", "logpipe-compute-node",
                        "logpipe-errors", "logpipe-pipeline");
        JsonNode services = dashboard("logpipe-homelab-services");
        assertThat(panelTitles(services)).anyMatch(t -> t.startsWith("n8n")).anyMatch(t -> t.startsWith("PostgreSQL"))
                .anyMatch(t -> t.startsWith("Redis")).anyMatch(t -> t.startsWith("Qdrant"));
        assertThat(panelTitles(dashboard("logpipe-compute-node"))).anyMatch(t -> t.contains("Ollama"))
                .anyMatch(t -> t.contains("LiteLLM")).anyMatch(t -> t.contains("ROCm")).anyMatch(t -> t.contains("System events"));
        JsonNode errors = dashboard("logpipe-errors");
        assertThat(panels(errors)).extracting(p -> p.path("type").asText()).contains("heatmap");
        assertThat(panelTitles(errors)).contains("Top error messages");
    }

    @Test
    void panelIdsAreUniqueWithinEachDashboard() {
        for (JsonNode dashboard : dashboards) {
            List<Integer> ids = panels(dashboard).stream().map(p -> p.path("id").asInt(-1)).collect(Collectors.toList());
            assertThat(ids).as(dashboard.path("uid").asText()).doesNotContain(-1).doesNotHaveDuplicates();
        }
    }

    @Test
    void templateVariablesCoverNamespacePodHostAndUnit() {
        Set<String> variables = new TreeSet<>();
        for (JsonNode dashboard : dashboards) {
            dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));
        }
        assertThat(variables).contains("namespace", "pod", "host", "unit");
    }

    @Test
    void everyQueryUsesAVariableDataSourceAndDefinedVariables() {
        for (JsonNode dashboard : dashboards) {
            String uid = dashboard.path("uid").asText();
            Set<String> defined = new HashSet<>(GRAFANA_VARIABLES);
            dashboard.path("templating").path("list").forEach(v -> defined.add(v.path("name").asText()));
            for (JsonNode panel : panels(dashboard)) {
                if (panel.path("type").asText().equals("row")) {
                    continue;
                }
                assertThat(panel.path("targets")).as(uid + ": " + panel.path("title").asText()).isNotEmpty();
            }
            for (JsonNode target : targets(dashboard)) {
                String type = target.path("datasource").path("type").asText();
                assertThat(type).as(uid).isIn("loki", "prometheus");
                assertThat(target.path("datasource").path("uid").asText()).as(uid + ": data source given by its variable")
                        .isEqualTo("${" + type + "}");
                assertThat(defined).as(uid + ": " + target.path("expr").asText()).containsAll(variablesIn(target.path("expr").asText()));
            }
        }
    }

    @Test
    void logQlQueriesNameOnlyPipelineLabels() {
        int checked = 0;
        for (JsonNode dashboard : dashboards) {
            String uid = dashboard.path("uid").asText();
            List<String> queries = new ArrayList<>();
            for (JsonNode target : targets(dashboard)) {
                if (target.path("datasource").path("type").asText().equals("loki")) {
                    queries.add(target.path("expr").asText());
                }
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                if (variable.path("type").asText().equals("query") && variable.path("datasource").path("type").asText().equals("loki")) {
                    Matcher labelValues = LABEL_VALUES.matcher(variable.path("query").asText());
                    assertThat(labelValues.matches()).as(uid + ": variable " + variable.path("name").asText()).isTrue();
                    assertThat(labelValues.group(2)).as(uid + ": variable " + variable.path("name").asText()).isIn(PipelineLabels.LOKI);
                    if (labelValues.group(1) != null) {
                        queries.add(labelValues.group(1));
                    }
                }
            }
            for (String query : queries) {
                // with "All" selected: the widest a query gets
                for (JsonNode variable : dashboard.path("templating").path("list")) {
                    if (variable.has("allValue")) {
                        query = query.replace("$" + variable.path("name").asText(), variable.path("allValue").asText());
                    }
                }
                List<String> selectors = LogQl.streamSelectors(query);
                assertThat(selectors).as(uid + ": " + query).isNotEmpty();
                for (String selector : selectors) {
                    Selector parsed = Selector.parse(selector);
                    assertThat(parsed.matchers()).as(uid + ": " + query).extracting(Selector.Matcher::name).isSubsetOf(PipelineLabels.LOKI);
                    assertThat(parsed.matchers()).as(uid + ": Loki needs one matcher that cannot match the empty string: " + query)
                            .anyMatch(m -> !new Selector(List.of(m), List.of()).matches(Map.of(), ""));
                }
                Set<String> allowed = new HashSet<>(PipelineLabels.LOKI);
                allowed.addAll(LogQl.extractedLabels(query));
                assertThat(LogQl.groupingLabels(query)).as(uid + ": " + query).isSubsetOf(allowed);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20);
    }

    static JsonNode dashboard(String uid) {
        return dashboards.stream().filter(d -> d.path("uid").asText().equals(uid)).findFirst()
                .orElseThrow(() -> new AssertionError("no dashboard " + uid));
    }

    /** All panels, those inside collapsed rows included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    static List<JsonNode> targets(JsonNode dashboard) {
        List<JsonNode> targets = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            panel.path("targets").forEach(targets::add);
        }
        return targets;
    }

    private static List<String> panelTitles(JsonNode dashboard) {
        return panels(dashboard).stream().map(p -> p.path("title").asText()).collect(Collectors.toList());
    }

    private static Set<String> variablesIn(String query) {
        Set<String> variables = new TreeSet<>();
        Matcher m = VARIABLE.matcher(query);
        while (m.find()) {
            variables.add(m.group(1));
        }
        return variables;
    }
}

package io.logpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.logpipe.processor.errorrate.ErrorRateConfig;
import io.logpipe.processor.errorrate.LinePattern;
import io.logpipe.selector.Selector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules of {@code helm/logpipe/files/alerts/}: the Prometheus rules pass promtool's
 * checks and unit tests (every alert fires and stays quiet when it should), the Loki rules are the
 * plan's three on labels the pipeline produces.
 */
class AlertRulesTest {
    private static final Path ALERTS = Repository.path("helm/logpipe/files/alerts");
    private static final Set<String> PLAN_ALERTS = Set.of("HighErrorRate", "OllamaServiceDown", "DiskSpaceWarning");

    @Test
    void promtoolChecksThePrometheusRules(@TempDir Path dir) throws Exception {
        Path rules = Files.copy(ALERTS.resolve("prometheus-rules.yaml"), dir.resolve("prometheus-rules.yaml"));
        Promtool.Result result = Promtool.onPath().run(dir, "check", "rules", rules.toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void promtoolUnitTestsPass(@TempDir Path dir) throws Exception {
        Files.copy(ALERTS.resolve("prometheus-rules.yaml"), dir.resolve("prometheus-rules.yaml"));
        try (var test = AlertRulesTest.class.getResourceAsStream("/alerts/prometheus-rules.test.yaml")) {
            Files.copy(test, dir.resolve("prometheus-rules.test.yaml"), StandardCopyOption.REPLACE_EXISTING);
        }
        Promtool.Result result = Promtool.onPath().run(dir, "test", "rules", "prometheus-rules.test.yaml");
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void everyPrometheusAlertHasAUnitTestThatFiresIt() throws Exception {
        Set<String> alerts = alertNames(Yaml.documents(ALERTS.resolve("prometheus-rules.yaml")).get(0));
        JsonNode unitTests = Yaml.document(new String(
                AlertRulesTest.class.getResourceAsStream("/alerts/prometheus-rules.test.yaml").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        Set<String> fired = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode test : unitTests.path("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                (check.path("exp_alerts").isEmpty() ? quiet : fired).add(check.path("alertname").asText());
            }
        }
        assertThat(fired).as("alerts with a test where they fire").containsExactlyInAnyOrderElementsOf(alerts);
        assertThat(quiet).as("alerts with a test where they stay quiet").containsExactlyInAnyOrderElementsOf(alerts);
        assertThat(alerts).containsAll(PLAN_ALERTS)
                .contains("LogpipeSinkCannotPush", "LogpipeConsumerLagGrowing", "LogpipeDeadLetters");
    }

    @Test
    void lokiRulesAreThePlansThreeOnPipelineLabels() {
        JsonNode rules = Yaml.documents(ALERTS.resolve("loki-rules.yaml")).get(0);
        assertThat(alertNames(rules)).isEqualTo(PLAN_ALERTS);
        List<String> selectors = new ArrayList<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                selectors.addAll(LogQl.streamSelectors(rule.path("expr").asText()));
            }
        }
        assertThat(selectors).hasSize(3).allSatisfy(selector -> {
            Selector parsed = Selector.parse(selector);
            assertThat(parsed.matchers()).as(selector).extracting(Selector.Matcher::name).isSubsetOf(PipelineLabels.LOKI);
        });
    }

    @Test
    void diskSpaceAlertsCountWhatTheProcessorsDiskSpacePatternCounts() {
        // the Prometheus rule counts the processor's default line pattern; the Loki rule runs the same selector
        String prometheus = rule(Yaml.documents(ALERTS.resolve("prometheus-rules.yaml")).get(0), "DiskSpaceWarning");
        assertThat(prometheus).contains("pattern=\"" + LinePattern.DISK_SPACE.name() + "\"");
        assertThat(ErrorRateConfig.DEFAULTS.linePatterns()).contains(LinePattern.DISK_SPACE);
        String loki = rule(Yaml.documents(ALERTS.resolve("loki-rules.yaml")).get(0), "DiskSpaceWarning");
        assertThat(loki).contains(LinePattern.DISK_SPACE.selector());
    }

    private static String rule(JsonNode ruleFile, String alert) {
        for (JsonNode group : ruleFile.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.path("alert").asText().equals(alert)) {
                    return rule.path("expr").asText();
                }
            }
        }
        throw new AssertionError("no alert " + alert);
    }

    private static Set<String> alertNames(JsonNode ruleFile) {
        Set<String> names = new TreeSet<>();
        for (JsonNode group : ruleFile.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    names.add(rule.path("alert").asText());
                }
            }
        }
        return names;
    }
}

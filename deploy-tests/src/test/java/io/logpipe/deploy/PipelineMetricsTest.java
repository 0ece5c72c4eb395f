package io.logpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.logpipe.collector.metrics.CollectorMetrics;
import io.logpipe.config.ConfigLoader;
import io.logpipe.labels.LabelSet;
import io.logpipe.processor.errorrate.ErrorRateConfig;
import io.logpipe.processor.errorrate.LineMetrics;
import io.logpipe.processor.errorrate.WindowCounts;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.Level;
import io.logpipe.record.RecordCodec;
import io.logpipe.sink.LokiSink;
import io.logpipe.sink.SinkConfig;
import io.logpipe.testkit.KafkaBrokerExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every metric and label the dashboards and Prometheus rules name is one the components export.
 * The exported set is not a list kept by hand: it is a scrape of one registry holding the
 * collector's and the stream-processor's meters (each recording method called once) and a real
 * loki-sink that ran against the test broker and a Loki that failed once, accepted, and met a
 * record with a label Loki refuses.
 */
class PipelineMetricsTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension(1);

    /** Labels Prometheus adds to every scraped series (Kubernetes service discovery, ServiceMonitor). */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job", "namespace", "pod", "service", "container", "endpoint");
    private static final Pattern LABEL_MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"");

    private static ExportedMetrics exported;

    @BeforeAll
    static void scrapeTheComponents() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        recordCollectorMeters(new CollectorMetrics(registry));
        recordProcessorMeters(new LineMetrics(registry, ErrorRateConfig.DEFAULTS));
        runSink(registry);
        exported = ExportedMetrics.parse(registry.scrape());
    }

    @Test
    void dashboardQueriesNameOnlyExportedMetricsAndLabels() throws IOException {
        List<String> queries = new ArrayList<>();
        for (Path file : dashboards()) {
            for (JsonNode target : DashboardsTest.targets(Yaml.document(Files.readString(file)))) {
                if (target.path("datasource").path("type").asText().equals("prometheus")) {
                    queries.add(file.getFileName() + ": " + target.path("expr").asText());
                }
            }
        }
        assertThat(queries).as("the dashboards show the processor's error-rate metrics").isNotEmpty();
        queries.forEach(PipelineMetricsTest::assertExported);
    }

    @Test
    void prometheusRulesNameOnlyExportedMetricsAndLabels() throws IOException {
        JsonNode rules = Yaml.document(Files.readString(RenderedChart.CHART.resolve("files/alerts/prometheus-rules.yaml")));
        List<String> queries = new ArrayList<>();
        rules.path("groups").forEach(group -> group.path("rules").forEach(rule -> queries.add(rule.path("alert").asText() + ": " + rule.path("expr").asText())));
        assertThat(queries).hasSizeGreaterThanOrEqualTo(6);
        queries.forEach(PipelineMetricsTest::assertExported);
    }

    @Test
    void serviceMonitorKeepsTheProcessorsOwnNamespaceAndJobLabels() {
        // logpipe_processor_* carry namespace, pod and job of the *logs*; without honorLabels
        // Prometheus would rename them exported_namespace, exported_job, ... and the rules would not match.
        assertThat(exported.labels("logpipe_processor_lines_total")).contains("namespace", "pod", "job");
        JsonNode serviceMonitor = RenderedChart.withProductionValues().manifests().stream()
                .filter(m -> m.path("kind").asText().equals("ServiceMonitor")).findFirst().orElseThrow();
        assertThat(serviceMonitor.path("spec").path("endpoints")).allSatisfy(endpoint ->
                assertThat(endpoint.path("honorLabels").asBoolean()).as("honorLabels").isTrue());
    }

    /** {@code "where: promql"}: each metric exported, each label one of those metrics' or a target label. */
    private static void assertExported(String described) {
        String promql = described.substring(described.indexOf(": ") + 2);
        Set<String> metrics = LogQl.metricNames(promql);
        assertThat(metrics).as(described).isNotEmpty();
        Set<String> allowedLabels = new HashSet<>(TARGET_LABELS);
        for (String metric : metrics) {
            String base = metric.replaceAll("_(bucket|count|sum)$", "");
            assertThat(exported.has(metric) || exported.has(base)).as("%s%nmetric %s is not exported; exported: %s", described, metric, exported.names()).isTrue();
            allowedLabels.addAll(exported.labels(metric));
            allowedLabels.addAll(exported.labels(base));
        }
        Set<String> used = new TreeSet<>(LogQl.groupingLabels(promql));
        Matcher matcher = LABEL_MATCHER.matcher(promql);
        while (matcher.find()) {
            used.add(matcher.group(1));
        }
        assertThat(used).as("%s%nlabels of %s: %s", described, metrics, allowedLabels).isSubsetOf(allowedLabels);
    }

    private static void recordCollectorMeters(CollectorMetrics metrics) {
        metrics.source("syslog", "file").read(120);
        metrics.badInput("pods", "invalid_utf8", "test");
        metrics.sendErrors("timeout").increment();
        metrics.recordsSent().increment();
        metrics.journaldRestarts("journald").increment();
        metrics.fileLag("syslog", "/var/log/syslog", () -> 0);
    }

    private static void recordProcessorMeters(LineMetrics metrics) {
        long now = System.currentTimeMillis();
        LabelSet pod = LabelSet.of(Map.of("namespace", "homelab", "app", "n8n"));
        metrics.line(pod, enriched(Map.of("namespace", "homelab", "app", "n8n", "pod", "n8n-0"), Level.ERROR, "workflow failed"), now);
        LabelSet journal = LabelSet.of(Map.of("host", "pesubuntu", "job", "systemd-journal", "unit", "ollama.service"));
        metrics.line(journal, enriched(Map.of("host", "pesubuntu", "job", "systemd-journal", "unit", "ollama.service"), Level.INFO, "loaded model"), now);
        metrics.line(LabelSet.of(Map.of("host", "pesubuntu", "job", "syslog")),
                enriched(Map.of("host", "pesubuntu", "job", "syslog"), Level.WARN, "low disk space on /"), now);
        metrics.window(pod, new WindowCounts(10, 3), now);
        metrics.deadLetter("unsupported record format version 2");
        metrics.labelsCut(1);
    }

    private static EnrichedRecord enriched(Map<String, String> labels, Level level, String line) {
        return new EnrichedRecord(1, System.currentTimeMillis() * 1_000_000L, labels, level, line, null, Map.of(), "test", Set.of());
    }

    /** The real sink: one push refused with 503 (a retry), then accepted; one stream Loki would refuse (the DLQ). */
    private static void runSink(PrometheusMeterRegistry registry) throws Exception {
        AtomicInteger pushes = new AtomicInteger();
        HttpServer loki = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        loki.createContext("/loki/api/v1/push", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(pushes.getAndIncrement() == 0 ? 503 : 204, -1);
            exchange.close();
        });
        loki.start();
        try {
            String yaml = "kafka: {bootstrap_servers: " + KAFKA.bootstrapServers() + "}\n"
                    + "loki: {url: http://127.0.0.1:" + loki.getAddress().getPort() + "}\n"
                    + "batch: {max_wait: 100ms}\n"
                    + "retry: {min_backoff: 50ms, max_backoff: 200ms}\n";
            SinkConfig config = new ConfigLoader(name -> null).parse(yaml, SinkConfig.class, "sink test config");
            long now = System.currentTimeMillis() * 1_000_000L;
            EnrichedRecord good = new EnrichedRecord(1, now, Map.of("namespace", "homelab", "app", "n8n", "level", "error"),
                    Level.ERROR, "workflow failed", null, Map.of(), "test", Set.of());
            EnrichedRecord refused = new EnrichedRecord(1, now, Map.of("bad-label", "x"), Level.INFO, "refused", null, Map.of(), "test", Set.of());
            KAFKA.send("logs.enriched", List.of(
                    new ProducerRecord<>("logs.enriched", good.stream().canonical().getBytes(StandardCharsets.UTF_8), RecordCodec.encode(good)),
                    new ProducerRecord<>("logs.enriched", refused.stream().canonical().getBytes(StandardCharsets.UTF_8), RecordCodec.encode(refused))));
            try (LokiSink sink = new LokiSink(config, registry)) {
                sink.start();
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(ExportedMetrics.parse(registry.scrape()).names())
                        .contains("logpipe_sink_pushed_lines_total", "logpipe_sink_push_retries_total",
                                "logpipe_sink_dlq_records_total", "logpipe_sink_push_duration_seconds_bucket"));
                await().atMost(Duration.ofSeconds(90)).until(() -> registry.get("logpipe.sink.pushed.lines").counter().count() >= 1);
            }
        } finally {
            loki.stop(0);
        }
    }

    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(RenderedChart.CHART.resolve("files/dashboards"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
    }
}

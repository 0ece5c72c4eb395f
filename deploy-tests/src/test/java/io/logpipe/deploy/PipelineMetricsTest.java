package io.logpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.logpipe.collector.Collector;
import io.logpipe.collector.CollectorConfig;
import io.logpipe.collector.metrics.CollectorMetrics;
import io.logpipe.config.ConfigLoader;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.processor.ProcessorConfig;
import io.logpipe.processor.StreamProcessor;
import io.logpipe.record.Level;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.SourceKind;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric and label the dashboards and Prometheus rules name is one the components export.
 * The exported set is not a list kept by hand: it is a scrape of one registry holding the
 * a real collector, stream-processor and loki-sink that ran on the test broker with records of
 * every kind, a malformed one, a Loki that failed once and a label set Loki refuses (plus the
 * collector's meters that only trouble creates, recorded once by hand).
 */
class PipelineMetricsTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension(1);

    /** Labels Prometheus adds to every scraped series (Kubernetes service discovery, ServiceMonitor). */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job", "namespace", "pod", "service", "container", "endpoint");
    private static final Pattern LABEL_MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)\\s*\"");

    private static ExportedMetrics exported;

    @BeforeAll
    static void scrapeTheComponents(@TempDir Path dir) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // meters that appear only on trouble (send errors, bad input, journalctl restarts)
        recordCollectorMeters(new CollectorMetrics(registry));
        // the rest from the running components, scraped before close() takes the Kafka client metrics away
        runPipeline(registry, dir);
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
        metrics.badInput("pods", "invalid_utf8", "test");
        metrics.sendErrors("timeout").increment();
        metrics.journaldRestarts("journald").increment();
    }

    /**
     * The real collector, stream-processor and loki-sink on the test broker: the collector tails
     * a syslog file (one disk-space line), pod and journald records go straight to logs.raw (one
     * malformed, for the DLQ), Loki fails the first push with 503 (a retry), then accepts; one
     * enriched stream has a label Loki refuses (the sink's DLQ).
     */
    private static void runPipeline(PrometheusMeterRegistry registry, Path dir) throws Exception {
        Path syslog = Files.writeString(dir.resolve("syslog"), "Nov 25 14:03:07 pesubuntu kernel: EXT4-fs warning: disk space low on /\n"
                + "Nov 25 14:03:09 pesubuntu systemd[1]: Started ollama.service.\n");
        AtomicInteger pushes = new AtomicInteger();
        HttpServer loki = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        loki.createContext("/loki/api/v1/push", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(pushes.getAndIncrement() == 0 ? 503 : 204, -1);
            exchange.close();
        });
        loki.start();
        ConfigLoader loader = new ConfigLoader(name -> null);
        String kafka = "kafka: {bootstrap_servers: " + KAFKA.bootstrapServers() + "}\n";
        CollectorConfig collectorConfig = loader.parse(kafka
                + "host: pesubuntu\n"
                + "checkpoint_dir: " + dir.resolve("checkpoints") + "\n"
                + "sources: {files: [{name: syslog, paths: [" + syslog + "], labels: {job: syslog, host: pesubuntu}}]}\n",
                CollectorConfig.class, "collector test config");
        ProcessorConfig processorConfig = loader.parse(kafka
                + "state_dir: " + dir.resolve("state") + "\n"
                + "error_rates: {window: 1s, grace: 0s}\n", ProcessorConfig.class, "processor test config");
        SinkConfig sinkConfig = loader.parse(kafka
                + "loki: {url: http://127.0.0.1:" + loki.getAddress().getPort() + "}\n"
                + "batch: {max_wait: 100ms}\n"
                + "retry: {min_backoff: 50ms, max_backoff: 200ms}\n", SinkConfig.class, "sink test config");
        try (Collector collector = new Collector(collectorConfig, registry);
             StreamProcessor processor = new StreamProcessor(processorConfig, registry);
             LokiSink sink = new LokiSink(sinkConfig, registry)) {
            collector.start();
            processor.start();
            sink.start();
            long now = System.currentTimeMillis() * 1_000_000L;
            KAFKA.send("logs.raw", List.of(
                    raw(new RawRecord(1, now, SourceKind.POD, "uid-1/n8n", "{\"level\":\"error\",\"msg\":\"workflow failed\"}", null,
                            Map.of("namespace", "homelab", "pod", "n8n-0", "container", "n8n", "pod_label_app.kubernetes.io/name", "n8n"),
                            Map.of(), Set.of())),
                    raw(new RawRecord(1, now, SourceKind.JOURNALD, "pesubuntu/ollama.service", "loaded model llama3", null,
                            Map.of("unit", "ollama.service", "host", "pesubuntu"), Map.of("job", "systemd-journal", "host", "pesubuntu"), Set.of())),
                    new ProducerRecord<>("logs.raw", "broken".getBytes(StandardCharsets.UTF_8), "not a record".getBytes(StandardCharsets.UTF_8)),
                    // five seconds later by event time: closes the 1 s windows of the lines above
                    raw(new RawRecord(1, now + 5_000_000_000L, SourceKind.POD, "uid-1/n8n", "{\"level\":\"info\",\"msg\":\"done\"}", null,
                            Map.of("namespace", "homelab", "pod", "n8n-0", "container", "n8n", "pod_label_app.kubernetes.io/name", "n8n"),
                            Map.of(), Set.of()))));
            EnrichedRecord refused = new EnrichedRecord(1, now, Map.of("bad-label", "x"), Level.INFO, "refused", null, Map.of(), "test", Set.of());
            KAFKA.send("logs.enriched", List.of(new ProducerRecord<>("logs.enriched",
                    refused.stream().canonical().getBytes(StandardCharsets.UTF_8), RecordCodec.encode(refused))));
            await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> assertThat(ExportedMetrics.parse(registry.scrape()).names())
                    .contains("logpipe_collector_records_sent_total", "logpipe_collector_inflight_bytes",
                            "logpipe_collector_checkpoint_age_seconds", "logpipe_collector_lines_read_total",
                            "logpipe_processor_lines_total", "logpipe_processor_window_error_lines",
                            "logpipe_processor_pattern_lines_total", "logpipe_processor_dead_letters_total",
                            "logpipe_sink_pushed_lines_total", "logpipe_sink_push_retries_total",
                            "logpipe_sink_dlq_records_total", "logpipe_sink_push_duration_seconds_bucket"));
            await().atMost(Duration.ofSeconds(120)).until(() -> registry.get("logpipe.sink.pushed.lines").counter().count() >= 3);
            exported = ExportedMetrics.parse(registry.scrape());
        } finally {
            loki.stop(0);
        }
    }

    private static ProducerRecord<byte[], byte[]> raw(RawRecord record) {
        return new ProducerRecord<>("logs.raw", record.source().getBytes(StandardCharsets.UTF_8), RecordCodec.encode(record));
    }

    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(RenderedChart.CHART.resolve("files/dashboards"))) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
    }
}

package io.logpipe.processor;

import static io.logpipe.processor.RawRecords.T0;
import static io.logpipe.processor.RawRecords.file;
import static io.logpipe.processor.RawRecords.journald;
import static io.logpipe.processor.RawRecords.pod;
import static io.logpipe.processor.RawRecords.syslog;
import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.config.ConfigLoader;
import io.logpipe.labels.LabelSet;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.LineText;
import io.logpipe.record.RawRecord;
import io.logpipe.record.SourceKind;
import io.logpipe.selector.Selector;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Loki stream labels the default rules give: the plan's LogQL queries select the same lines
 * they selected with Promtail, labels are low-cardinality and valid, ids go to metadata.
 */
class StreamLabelSpecTest {
    @TempDir
    Path stateDir;

    private static boolean selects(String logql, EnrichedRecord record) {
        return Selector.parse(logql).matches(record.labels(), record.line());
    }

    private TestRecord<String, EnrichedRecord> enrich(RawRecord record) {
        try (ProcessorDriver processor = new ProcessorDriver(stateDir.resolve("default"))) {
            return processor.enrich(record);
        }
    }

    @Test
    void podLinesAnswerThePlansN8nAndErrorQueries() {
        TestRecord<String, EnrichedRecord> out = enrich(pod("n8n", "{\"level\":\"error\",\"message\":\"Workflow failed\"}"));

        assertThat(out.value().labels()).isEqualTo(Map.of("namespace", "homelab", "pod", "n8n-5d8f7c9b4-x2k9p",
                "container", "n8n", "app", "n8n", "node", "asuna", "level", "error"));
        assertThat(out.key()).isEqualTo("{app=\"n8n\", container=\"n8n\", level=\"error\", namespace=\"homelab\", "
                + "node=\"asuna\", pod=\"n8n-5d8f7c9b4-x2k9p\"}");
        assertThat(selects("{namespace=\"homelab\", pod=~\"n8n.*\"}", out.value())).isTrue();
        assertThat(selects("{namespace=\"homelab\"} |= \"error\"", out.value())).isTrue();
        assertThat(out.value().metadata()).containsEntry("pod_uid", "7f9c2b1e-4a2d-4d5e-9c1a-" + Integer.toHexString("n8n-5d8f7c9b4-x2k9p".hashCode()))
                .containsEntry("stream", "stdout");
    }

    @Test
    void postgresPodAnswersTheSlowQueryQuery() {
        EnrichedRecord out = enrich(pod("postgres", "postgres-0", "{\"duration\": 1500, \"query\": \"select 1\"}", T0)).value();
        assertThat(selects("{namespace=\"homelab\", pod=~\"postgres.*\"} |= \"duration\"", out)).isTrue();
        assertThat(selects("{namespace=\"homelab\", pod=~\"n8n.*\"}", out)).isFalse();
    }

    @Test
    void appComesFromAppKubernetesIoNameBeforeTheAppLabel() {
        Map<String, String> attributes = new HashMap<>(pod("redis", "x").attributes());
        attributes.put("pod_label_app", "redis-legacy");
        RawRecord both = new RawRecord(1, RawRecords.nanos(T0), SourceKind.POD, "s", "x", null, attributes, Map.of(), null);
        assertThat(enrich(both).value().labels()).containsEntry("app", "redis");

        attributes.remove("pod_label_app.kubernetes.io/name");
        RawRecord onlyApp = new RawRecord(1, RawRecords.nanos(T0), SourceKind.POD, "s", "x", null, attributes, Map.of(), null);
        assertThat(enrich(onlyApp).value().labels()).containsEntry("app", "redis-legacy");
    }

    @Test
    void journaldAnswersTheOllamaAndLiteLlmQueries() {
        EnrichedRecord ollama = enrich(journald("ollama.service", "6", "level=INFO msg=\"inference done\"")).value();
        assertThat(ollama.labels()).isEqualTo(Map.of("job", "systemd-journal", "host", "pesubuntu", "unit", "ollama.service",
                "service", "ollama", "level", "info"));
        assertThat(selects("{job=\"systemd-journal\", unit=\"ollama.service\"}", ollama)).isTrue();

        EnrichedRecord litellm = enrich(journald("litellm.service", "6", "routing model: gpt-4o level=info")).value();
        assertThat(selects("{host=\"pesubuntu\", service=\"litellm\"} |= \"model:\"", litellm)).isTrue();
        assertThat(litellm.metadata()).containsKeys("pid", "boot_id", "syslog_identifier", "priority", "hostname");
        assertThat(litellm.labels()).doesNotContainKeys("pid", "boot_id", "hostname");
    }

    @Test
    void syslogAndOllamaFileJobsKeepTheirStaticLabels() {
        EnrichedRecord sys = enrich(syslog("Nov 25 10:00:00 pesubuntu kernel: disk space low", T0)).value();
        assertThat(sys.labels()).isEqualTo(Map.of("job", "syslog", "host", "pesubuntu", "level", "unknown"));
        assertThat(selects("{job=\"syslog\"} |= \"disk\" |= \"space\"", sys)).isTrue();
        assertThat(sys.metadata()).containsEntry("filename", "/var/log/syslog");

        EnrichedRecord ollamaFile = enrich(file("/var/log/ollama/server.log",
                Map.of("job", "ollama", "host", "pesubuntu", "service", "ollama"), "level=WARN msg=slow", T0)).value();
        assertThat(ollamaFile.labels()).isEqualTo(Map.of("job", "ollama", "host", "pesubuntu", "service", "ollama", "level", "warn"));
    }

    @Test
    void kubernetesEventsAnswerTheEventsQuery() {
        EnrichedRecord event = enrich(RawRecords.event("Warning", "Back-off restarting failed container")).value();
        assertThat(event.labels()).isEqualTo(Map.of("job", "kubernetes-events", "namespace", "homelab", "level", "warn"));
        assertThat(selects("{job=\"kubernetes-events\"}", event)).isTrue();
        assertThat(event.metadata()).containsKeys("reason", "involved_name", "event_uid");
    }

    @Test
    void theKeyIsTheCanonicalLabelSet() {
        TestRecord<String, EnrichedRecord> out = enrich(journald("ollama.service", "3", "boom"));
        assertThat(out.key()).isEqualTo(LabelSet.of(out.value().labels()).canonical());
    }

    @Test
    void labelNamesAreSanitisedAndAValidNameWinsOverASanitisedOne() {
        // no rules at all: every attribute and static label is a candidate label
        ProcessorConfig config = new ConfigLoader().parse("labels:\n  rules: []\n", ProcessorConfig.class, "test.yaml");
        Map<String, String> attributes = Map.of("pod_label_app.kubernetes.io/name", "n8n", "9lives", "x", "team_name", "valid",
                "team-name", "sanitised");
        RawRecord record = new RawRecord(1, RawRecords.nanos(T0), SourceKind.DEMO, "s", "line", null, attributes, Map.of(), null);
        try (ProcessorDriver processor = new ProcessorDriver(config, stateDir.resolve("norules"))) {
            Map<String, String> labels = processor.enrich(record).value().labels();
            assertThat(labels).containsEntry("pod_label_app_kubernetes_io_name", "n8n")
                    .containsEntry("_9lives", "x")
                    .containsEntry("team_name", "valid")
                    .hasSize(4);
        }
    }

    @Test
    void streamsAreCutToFifteenLabelsKeepingLevel() {
        ProcessorConfig config = new ConfigLoader().parse("labels:\n  rules: []\n", ProcessorConfig.class, "test.yaml");
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            attributes.put(String.format("label_%02d", i), "v" + i);
        }
        RawRecord record = new RawRecord(1, RawRecords.nanos(T0), SourceKind.DEMO, "s", "[ERROR] x", null, attributes, Map.of(), null);
        try (ProcessorDriver processor = new ProcessorDriver(config, stateDir.resolve("cap"))) {
            Map<String, String> labels = processor.enrich(record).value().labels();
            assertThat(labels).hasSize(15).containsEntry("level", "error").containsKey("label_00").containsKey("label_13")
                    .doesNotContainKey("label_14");
            assertThat(processor.registry.get("logpipe_processor_labels_cut").counter().count()).isEqualTo(16.0);
        }
    }

    @Test
    void rulesFromConfigRenameDropAndSetStaticLabels() {
        String yaml = """
                labels:
                  rules:
                    - {action: rename, source: unit, target: service_unit}
                    - {action: static, target: env, value: homelab}
                    - {action: static, target: host, value: ignored-because-host-is-set}
                    - {action: drop, names: [job], kinds: [journald]}
                    - {action: keep, names: [service_unit, env, host]}
                """;
        ProcessorConfig config = new ConfigLoader().parse(yaml, ProcessorConfig.class, "test.yaml");
        try (ProcessorDriver processor = new ProcessorDriver(config, stateDir.resolve("rules"))) {
            Map<String, String> labels = processor.enrich(journald("ollama.service", "6", "hi")).value().labels();
            assertThat(labels).isEqualTo(Map.of("service_unit", "ollama.service", "env", "homelab", "host", "pesubuntu", "level", "info"));
        }
    }

    @Test
    void invalidUtf8LinesKeepTheirOriginalBytes() {
        LineText text = LineText.decode(new byte[] {'o', 'k', ' ', (byte) 0xC3, (byte) 0x28});
        RawRecord raw = RawRecord.of(RawRecords.nanos(T0), SourceKind.FILE, "s", text, Map.of(), Map.of("job", "syslog"), null);
        EnrichedRecord out = enrich(raw).value();
        assertThat(out.line()).isEqualTo(text.text());
        assertThat(out.rawBytes()).isEqualTo(text.rawBytesBase64());
        assertThat(out.flags()).isEqualTo(raw.flags());
    }
}

package io.logpipe.processor;

import static io.logpipe.processor.RawRecords.T0;
import static io.logpipe.processor.RawRecords.journald;
import static io.logpipe.processor.RawRecords.pod;
import static io.logpipe.processor.RawRecords.syslog;
import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-line metrics behind the plan's alerts, and the cap on their series. */
class LineMetricsSpecTest {
    @TempDir
    Path stateDir;

    @Test
    void linesAreCountedByRateGroupAndLevel() {
        try (ProcessorDriver processor = new ProcessorDriver(stateDir)) {
            processor.send(pod("n8n", "[ERROR] a"));
            processor.send(pod("n8n", "[ERROR] b"));
            processor.send(pod("n8n", "[INFO] c"));
            assertThat(processor.registry.get("logpipe_processor_lines")
                    .tags("namespace", "homelab", "app", "n8n", "level", "error").counter().count()).isEqualTo(2.0);
            assertThat(processor.registry.get("logpipe_processor_lines")
                    .tags("namespace", "homelab", "app", "n8n", "level", "info").counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void theLastLineTimestampOfAUnitIsTheNewestEventTime() {
        try (ProcessorDriver processor = new ProcessorDriver(stateDir)) {
            processor.send(journald("ollama.service", "6", "level=INFO a", T0.plusSeconds(30)));
            processor.send(journald("ollama.service", "6", "level=INFO replayed older line", T0));
            assertThat(processor.registry.get("logpipe_processor_last_line_timestamp_seconds")
                    .tags("job", "systemd-journal", "unit", "ollama.service", "host", "pesubuntu").gauge().value())
                    .isEqualTo(T0.plusSeconds(30).getEpochSecond());
        }
    }

    @Test
    void syslogDiskSpaceLinesAreCountedForTheDiskSpaceAlert() {
        try (ProcessorDriver processor = new ProcessorDriver(stateDir)) {
            processor.send(syslog("kernel: EXT4-fs warning: disk space low on /dev/sda1", T0));
            processor.send(syslog("kernel: disk quota ok", T0));
            processor.send(pod("n8n", "disk space low (but not syslog)"));
            assertThat(processor.registry.get("logpipe_processor_pattern_lines").tag("pattern", "disk_space").counter().count())
                    .isEqualTo(1.0);
        }
    }

    @Test
    void groupsBeyondMaxSeriesAreFoldedIntoOneSeriesAndCounted() {
        ProcessorConfig config = new ConfigLoader().parse("error_rates: {max_series: 2}\n", ProcessorConfig.class, "test.yaml");
        try (ProcessorDriver processor = new ProcessorDriver(config, stateDir)) {
            for (String app : new String[] {"n8n", "redis", "qdrant", "grafana", "n8n"}) {
                processor.send(pod(app, "[ERROR] x"));
            }
            assertThat(processor.registry.find("logpipe_processor_lines").counters()).hasSize(3);
            assertThat(processor.registry.get("logpipe_processor_lines").tags("app", "n8n").counter().count()).isEqualTo(2.0);
            assertThat(processor.registry.get("logpipe_processor_lines").tags("app", "_folded", "namespace", "_folded").counter().count())
                    .isEqualTo(2.0);
            assertThat(processor.registry.get("logpipe_processor_metric_series_folded").counter().count()).isEqualTo(2.0);
            assertThat(processor.enriched.readValuesToList()).as("folding touches metrics only").hasSize(5);
        }
    }

    @Test
    void configuredPatternsReplaceTheDefault() {
        String yaml = """
                error_rates:
                  line_patterns:
                    - {name: oom, selector: '{namespace="homelab"} |~ "(?i)out of memory"'}
                """;
        ProcessorConfig config = new ConfigLoader().parse(yaml, ProcessorConfig.class, "test.yaml");
        assertThat(config.errorRates().window()).isEqualTo(Duration.ofMinutes(1));
        try (ProcessorDriver processor = new ProcessorDriver(config, stateDir)) {
            processor.send(pod("qdrant", "Out Of Memory while indexing"));
            assertThat(processor.registry.get("logpipe_processor_pattern_lines").tag("pattern", "oom").counter().count()).isEqualTo(1.0);
            assertThat(processor.registry.find("logpipe_processor_pattern_lines").tag("pattern", "disk_space").counter()).isNull();
        }
    }
}

package io.logpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logpipe.config.ConfigException;
import io.logpipe.config.ConfigLoader;
import io.logpipe.processor.labels.LabelConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The processor's YAML file: defaults, and bad values refused at start-up naming the key. */
class ProcessorConfigTest {
    private static ProcessorConfig parse(String yaml) {
        return new ConfigLoader(Map.of("KAFKA_PASSWORD", "s3cret")::get).parse(yaml, ProcessorConfig.class, "processor.yaml");
    }

    @Test
    void anEmptyFileGivesEveryDefault() {
        ProcessorConfig config = parse("");
        assertThat(config.applicationId()).isEqualTo("logpipe-stream-processor");
        assertThat(config.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.topics().raw()).isEqualTo("logs.raw");
        assertThat(config.metrics().port()).isEqualTo(9402);
        assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/logpipe/stream-processor"));
        assertThat(config.numStreamThreads()).isEqualTo(1);
        assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.labels().rules()).isEqualTo(LabelConfig.DEFAULT_RULES);
        assertThat(config.labels().maxLabels()).isEqualTo(15);
        assertThat(config.errorRates().window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.errorRates().grace()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.errorRates().maxSeries()).isEqualTo(500);
    }

    @Test
    void theReadmeExampleLoads() {
        ProcessorConfig config = parse("""
                kafka:
                  bootstrap_servers: logpipe-kafka-bootstrap.homelab.svc:9093
                  security_protocol: SASL_SSL
                  sasl: {username: logpipe-processor, password: "${KAFKA_PASSWORD}"}
                state_dir: /var/lib/logpipe/stream-processor
                error_rates: {window: 1m, grace: 2m}
                """);
        assertThat(config.kafka().clientProperties()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.kafka().sasl().password().value()).isEqualTo("s3cret");
    }

    @Test
    void anUnknownKeyIsRefusedNamingIt() {
        assertThatThrownBy(() -> parse("error_rates: {windw: 1m}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("processor.yaml").hasMessageContaining("windw");
    }

    @Test
    void aRuleWithoutWhatItNeedsIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> parse("labels:\n  rules:\n    - {action: copy, target: app}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("source").hasMessageContaining("copy needs a source");
        assertThatThrownBy(() -> parse("labels:\n  rules:\n    - {action: static, target: app.name, value: x}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a valid Loki label name");
        assertThatThrownBy(() -> parse("labels:\n  rules:\n    - {action: rename, source: a, target: b, regex: \"(\"}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("regex");
        assertThatThrownBy(() -> parse("labels:\n  rules:\n    - {action: relabel}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("keep, drop, rename, copy, static");
    }

    @Test
    void badNumbersAndSelectorsAreRefused() {
        assertThatThrownBy(() -> parse("labels: {max_labels: 16}\n")).hasMessageContaining("max_labels");
        assertThatThrownBy(() -> parse("error_rates: {max_series: 0}\n")).hasMessageContaining("max_series");
        assertThatThrownBy(() -> parse("error_rates: {line_patterns: [{name: x, selector: '{job=syslog}'}]}\n"))
                .hasMessageContaining("selector");
        assertThatThrownBy(() -> parse("num_stream_threads: 0\n")).hasMessageContaining("num_stream_threads");
    }

    @Test
    void streamsPropertiesMayTuneButNotUndoTheGuarantees() {
        assertThat(parse("streams_properties: {producer.batch.size: \"65536\", producer.compression.type: zstd}\n").streamsProperties())
                .containsEntry("producer.batch.size", "65536").containsEntry("producer.compression.type", "zstd");
        assertThatThrownBy(() -> parse("streams_properties: {processing.guarantee: at_least_once}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("streams_properties")
                .hasMessageContaining("'processing.guarantee' cannot be set here").hasMessageContaining("exactly once");
        assertThatThrownBy(() -> parse("streams_properties: {deserialization.exception.handler: x.Y}\n"))
                .hasMessageContaining("dead-letter topic");
        assertThatThrownBy(() -> parse("streams_properties: {num.stream.threads: \"4\"}\n"))
                .hasMessageContaining("use num_stream_threads");
    }
}

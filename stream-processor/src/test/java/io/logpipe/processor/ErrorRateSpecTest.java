package io.logpipe.processor;

import static io.logpipe.processor.RawRecords.T0;
import static io.logpipe.processor.RawRecords.journald;
import static io.logpipe.processor.RawRecords.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.config.ConfigLoader;
import io.logpipe.processor.errorrate.ErrorRateWindow;
import io.logpipe.processor.errorrate.EventTimeExtractor;
import io.logpipe.record.EnrichedRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Error-rate windows: by the lines' own time, per (namespace, app) and (host, job, unit), one
 * record a window when end + grace has passed in event time; late lines within the grace count,
 * later ones do not. Here: 1 minute windows, 30 seconds grace.
 */
class ErrorRateSpecTest {
    private static final String N8N = "{app=\"n8n\", namespace=\"homelab\"}";
    private static final String OLLAMA = "{host=\"pesubuntu\", job=\"systemd-journal\", unit=\"ollama.service\"}";

    @TempDir
    Path stateDir;
    ProcessorDriver processor;

    @BeforeEach
    void start() {
        ProcessorConfig config = new ConfigLoader().parse("error_rates: {window: 1m, grace: 30s}\n", ProcessorConfig.class, "test.yaml");
        processor = new ProcessorDriver(config, stateDir);
    }

    @AfterEach
    void stop() {
        processor.close();
    }

    private static Instant at(String offset) {
        return T0.plus(Duration.parse("PT" + offset));
    }

    private void n8n(String line, String offset) {
        processor.send(pod("n8n", "n8n-5d8f7c9b4-x2k9p", line, at(offset)));
    }

    private List<TestRecord<String, ErrorRateWindow>> published() {
        return processor.errorRates.readRecordsToList();
    }

    @Test
    void aWindowIsPublishedOnceWhenItsEndPlusGraceHasPassed() {
        n8n("[INFO] a", "10S");
        n8n("[ERROR] b", "20S");
        n8n("{\"level\":\"fatal\"}", "50S");
        n8n("[INFO] next window", "1M10S");
        assertThat(published()).as("window [0m,1m) is still open until 1m30s").isEmpty();

        n8n("[INFO] moves event time past 1m30s", "1M31S");
        List<TestRecord<String, ErrorRateWindow>> out = published();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo(N8N);
        ErrorRateWindow window = out.get(0).value();
        assertThat(window.labels()).isEqualTo(Map.of("namespace", "homelab", "app", "n8n"));
        assertThat(window.start()).isEqualTo(T0);
        assertThat(window.end()).isEqualTo(at("1M"));
        assertThat(window.lines()).isEqualTo(3);
        assertThat(window.errors()).isEqualTo(2);
        assertThat(window.version()).isEqualTo(1);
    }

    @Test
    void outOfOrderLinesWithinTheGraceCountInTheirOwnWindow() {
        n8n("[INFO] a", "10S");
        n8n("[INFO] later window", "1M20S");
        n8n("[ERROR] written at 0m40s, arrives late but within grace", "40S");
        n8n("[INFO] closes window 0", "1M45S");

        ErrorRateWindow first = published().get(0).value();
        assertThat(first.start()).isEqualTo(T0);
        assertThat(first.lines()).isEqualTo(2);
        assertThat(first.errors()).isEqualTo(1);
    }

    @Test
    void linesLaterThanTheGraceAreNotCountedButStillEnriched() {
        n8n("[INFO] a", "10S");
        n8n("[INFO] far ahead", "2M");
        n8n("[ERROR] written at 0m20s, arrives after 1m30s", "20S");
        n8n("[INFO] closes window 1", "2M45S");

        List<ErrorRateWindow> windows = published().stream().map(TestRecord::value).toList();
        assertThat(windows).hasSize(1);
        assertThat(windows.get(0).start()).isEqualTo(T0);
        assertThat(windows.get(0).lines()).isEqualTo(1);
        assertThat(windows.get(0).errors()).isZero();
        assertThat(processor.enriched.readValuesToList()).hasSize(4);
    }

    @Test
    void linesCountedBetweenFlushesStillLandInTheirOwnWindows() {
        processor.sendBetweenFlushes(pod("n8n", "n8n-5d8f7c9b4-x2k9p", "[ERROR] a", at("10S")));
        processor.sendBetweenFlushes(pod("n8n", "n8n-5d8f7c9b4-x2k9p", "[INFO] b", at("50S")));
        processor.sendBetweenFlushes(pod("n8n", "n8n-5d8f7c9b4-x2k9p", "[ERROR] c", at("1M5S")));
        processor.flush();
        n8n("[INFO] d", "1M6S");
        n8n("[INFO] closes both windows", "3M");

        List<ErrorRateWindow> windows = published().stream().map(TestRecord::value).toList();
        assertThat(windows).extracting(w -> w.start() + " " + w.lines() + " lines, " + w.errors() + " errors")
                .containsExactly(T0 + " 2 lines, 1 errors", at("1M") + " 2 lines, 1 errors");
    }

    @Test
    void aBacklogFlushedAtOnceCountsEveryGroupsEarlyWindowsBeforeAnyGroupsLaterOnes() {
        // a backlog replayed fast: one flush holds minutes of event time for two groups
        processor.sendBetweenFlushes(pod("n8n", "n8n-5d8f7c9b4-x2k9p", "[ERROR] a", at("10S")));
        processor.sendBetweenFlushes(journald("litellm.service", "3", "boom", at("10S")));
        processor.sendBetweenFlushes(pod("n8n", "n8n-5d8f7c9b4-x2k9p", "[INFO] b", at("5M")));
        processor.flush();
        n8n("[INFO] closes them", "8M");

        assertThat(published()).extracting(r -> r.key() + " " + r.value().start() + " " + r.value().lines())
                .contains(N8N + " " + T0 + " 1", "{host=\"pesubuntu\", job=\"systemd-journal\", unit=\"litellm.service\"} " + T0 + " 1",
                        N8N + " " + at("5M") + " 1");
    }

    @Test
    void journaldLinesAreCountedPerHostJobAndUnit() {
        processor.send(journald("ollama.service", "3", "cuda error", at("5S")));
        processor.send(journald("ollama.service", "6", "level=INFO ok", at("6S")));
        processor.send(journald("litellm.service", "3", "boom", at("7S")));
        processor.send(journald("ollama.service", "6", "level=INFO closes", at("2M")));

        List<TestRecord<String, ErrorRateWindow>> out = published();
        assertThat(out).extracting(TestRecord::key).containsExactlyInAnyOrder(OLLAMA,
                "{host=\"pesubuntu\", job=\"systemd-journal\", unit=\"litellm.service\"}");
        ErrorRateWindow ollama = out.stream().filter(r -> r.key().equals(OLLAMA)).findFirst().orElseThrow().value();
        assertThat(ollama.lines()).isEqualTo(2);
        assertThat(ollama.errors()).isEqualTo(1);
    }

    @Test
    void theEnrichedRecordCarriesTheLinesOwnTimeAsItsKafkaTimestamp() {
        processor.send(pod("n8n", "n8n-5d8f7c9b4-x2k9p", "[INFO] a", at("10.123456789S")));
        TestRecord<String, ?> out = processor.enriched.readRecord();
        assertThat(out.getRecordTime()).isEqualTo(Instant.parse("2026-11-25T10:00:10.123Z"));
    }

    @Test
    void aLineStampedFarAheadIsCarriedAtMostTenMinutesAheadOfTheClockWithItsOwnTimeKept() {
        Instant ahead = Instant.now().plus(Duration.ofDays(2));
        long before = System.currentTimeMillis();
        processor.send(pod("n8n", "n8n-5d8f7c9b4-x2k9p", "[INFO] from a node with a wrong clock", ahead));
        TestRecord<String, EnrichedRecord> out = processor.enriched.readRecord();
        // brokers refuse a record stamped more than an hour ahead, which would stop the processor
        assertThat(out.getRecordTime().toEpochMilli())
                .isBetween(before + EventTimeExtractor.MOST_AHEAD.toMillis(), System.currentTimeMillis() + EventTimeExtractor.MOST_AHEAD.toMillis());
        assertThat(out.getValue().timestampNanos()).isEqualTo(ahead.getEpochSecond() * 1_000_000_000L + ahead.getNano());
    }

    @Test
    void closedWindowsAreExposedAsGauges() {
        n8n("[ERROR] a", "10S");
        n8n("[INFO] closes", "2M");
        assertThat(processor.registry.get("logpipe_processor_window_error_lines").tag("app", "n8n").gauge().value()).isEqualTo(1.0);
        assertThat(processor.registry.get("logpipe_processor_window_lines").tag("app", "n8n").gauge().value()).isEqualTo(1.0);
        assertThat(processor.registry.get("logpipe_processor_window_end_timestamp_seconds").tag("app", "n8n").gauge().value())
                .isEqualTo(at("1M").getEpochSecond());
    }
}

package io.logpipe.processor;

import static io.logpipe.processor.RawRecords.file;
import static io.logpipe.processor.RawRecords.journald;
import static io.logpipe.processor.RawRecords.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.Level;
import io.logpipe.record.RawRecord;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** How the processor finds a line's level: one test a format and rule, through the real topology. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LevelSpecTest {
    ProcessorDriver processor;

    @BeforeAll
    void start(@TempDir Path stateDir) {
        processor = new ProcessorDriver(stateDir);
    }

    @AfterAll
    void stop() {
        processor.close();
    }

    private Level levelOf(RawRecord record) {
        EnrichedRecord out = processor.enrich(record).value();
        assertThat(out.labels()).containsEntry("level", out.level().label());
        return out.level();
    }

    private Level levelOfPodLine(String line) {
        return levelOf(pod("n8n", line));
    }

    @Test
    void jsonLevelKey() {
        assertThat(levelOfPodLine("{\"level\":\"error\",\"message\":\"Workflow failed\"}")).isEqualTo(Level.ERROR);
    }

    @Test
    void jsonLvlAndSeverityKeysInAnyCase() {
        assertThat(levelOfPodLine("{\"ts\":1,\"lvl\":\"WARN\",\"msg\":\"slow\"}")).isEqualTo(Level.WARN);
        assertThat(levelOfPodLine("{\"severity\":\"Critical\",\"msg\":\"disk\"}")).isEqualTo(Level.FATAL);
    }

    @Test
    void jsonNestedLogLevelAndEcsDottedKey() {
        assertThat(levelOfPodLine("{\"@timestamp\":\"x\",\"log\":{\"level\":\"debug\"},\"message\":\"m\"}")).isEqualTo(Level.DEBUG);
        assertThat(levelOfPodLine("{\"log.level\":\"warning\",\"message\":\"m\"}")).isEqualTo(Level.WARN);
    }

    @Test
    void jsonPinoNumericLevel() {
        assertThat(levelOfPodLine("{\"level\":50,\"time\":1764064800000,\"msg\":\"boom\"}")).isEqualTo(Level.ERROR);
        assertThat(levelOfPodLine("{\"level\":30,\"msg\":\"ok\"}")).isEqualTo(Level.INFO);
    }

    @Test
    void jsonKeyInsideAStringValueIsNotALevel() {
        assertThat(levelOfPodLine("{\"msg\":\"saw \\\"level\\\":\\\"error\\\" in input\",\"level\":\"info\"}")).isEqualTo(Level.INFO);
    }

    @Test
    void logfmtLevel() {
        assertThat(levelOfPodLine("time=2026-11-25T10:00:00Z level=error msg=\"connection refused\"")).isEqualTo(Level.ERROR);
        assertThat(levelOfPodLine("ts=1 lvl=\"warn\" msg=x")).isEqualTo(Level.WARN);
    }

    @Test
    void logfmtKeyMustStartAToken() {
        assertThat(levelOfPodLine("msg=\"retry\" sublevel=error")).isEqualTo(Level.UNKNOWN);
    }

    @Test
    void klogSeverityLetter() {
        assertThat(levelOfPodLine("E1124 10:00:00.000000       1 reflector.go:138] failed to list")).isEqualTo(Level.ERROR);
        assertThat(levelOfPodLine("W1124 10:00:00.123456       1 warnings.go:70] deprecated")).isEqualTo(Level.WARN);
        assertThat(levelOfPodLine("I1124 10:00:00.123456       1 main.go:10] started")).isEqualTo(Level.INFO);
        assertThat(levelOfPodLine("F1124 10:00:00.123456       1 main.go:10] cannot start")).isEqualTo(Level.FATAL);
    }

    @Test
    void bracketedLoggerPrefixInAnyCase() {
        assertThat(levelOfPodLine("2026-11-25 10:00:00 [ERROR] Workflow 17 failed")).isEqualTo(Level.ERROR);
        assertThat(levelOfPodLine("[warn] upstream slow")).isEqualTo(Level.WARN);
    }

    @Test
    void upperCaseLevelWordStandingAlone() {
        assertThat(levelOfPodLine("2026-11-25 10:00:00.123 ERROR 1 --- [main] o.s.Boot : failed")).isEqualTo(Level.ERROR);
        assertThat(levelOfPodLine("WARNING:root:cache is cold")).isEqualTo(Level.WARN);
        assertThat(levelOfPodLine("2026-11-25 10:00:00.000 UTC [27] FATAL:  password authentication failed")).isEqualTo(Level.FATAL);
        assertThat(levelOfPodLine("2026-11-25 10:00:00.000 UTC [27] LOG:  checkpoint complete")).isEqualTo(Level.INFO);
    }

    @Test
    void lowerCaseWordsInProseAreNotLevels() {
        assertThat(levelOfPodLine("user asked about an error in the docs")).isEqualTo(Level.UNKNOWN);
        assertThat(levelOfPodLine("ERRORS_TOTAL is a metric name")).isEqualTo(Level.UNKNOWN);
    }

    @Test
    void journaldPriorityOtherThanInfoIsTheWritersChoice() {
        assertThat(levelOf(journald("ollama.service", "3", "time=x level=INFO msg=\"loaded\""))).isEqualTo(Level.ERROR);
        assertThat(levelOf(journald("kernel", "2", "oops"))).isEqualTo(Level.FATAL);
        assertThat(levelOf(journald("sshd.service", "4", "bad login"))).isEqualTo(Level.WARN);
        assertThat(levelOf(journald("cron.service", "5", "started"))).isEqualTo(Level.INFO);
        assertThat(levelOf(journald("x.service", "7", "detail"))).isEqualTo(Level.DEBUG);
    }

    @Test
    void journaldDefaultPriorityDefersToTheLineThenMeansInfo() {
        assertThat(levelOf(journald("ollama.service", "6", "time=2026-11-25T10:00:00Z level=ERROR source=server.go msg=\"model failed\"")))
                .isEqualTo(Level.ERROR);
        assertThat(levelOf(journald("litellm.service", "6", "routing request to model: llama3"))).isEqualTo(Level.INFO);
    }

    @Test
    void kubernetesEventType() {
        assertThat(levelOf(RawRecords.event("Warning", "Back-off restarting failed container"))).isEqualTo(Level.WARN);
        assertThat(levelOf(RawRecords.event("Normal", "Pulled image"))).isEqualTo(Level.INFO);
    }

    @Test
    void nothingRecognisedIsUnknown() {
        assertThat(levelOf(file("/var/log/ollama/server.log", Map.of("job", "ollama"), "just some text", RawRecords.T0)))
                .isEqualTo(Level.UNKNOWN);
    }

    @Test
    void theLineIsKeptByteForByte() {
        String line = "  {\"level\":\"info\", \"msg\":\"spaces and ünïcödé \\u00e9 kept\"}  ";
        EnrichedRecord out = processor.enrich(pod("n8n", line)).value();
        assertThat(out.line()).isEqualTo(line);
    }
}

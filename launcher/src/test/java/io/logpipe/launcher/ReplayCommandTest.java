package io.logpipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.Level;
import io.logpipe.record.RecordCodec;
import io.logpipe.testkit.KafkaBrokerExtension;
import io.logpipe.testkit.loki.LokiTestServer;
import io.logpipe.testkit.loki.StoredEntry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReplayCommandTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension(1);

    private static final Instant T0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static String topic;

    @BeforeAll
    static void produce() {
        topic = KAFKA.newTopic("enriched", 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Instant at = T0.plus(Duration.ofMinutes(i));
            Level level = i % 3 == 0 ? Level.ERROR : Level.INFO;
            EnrichedRecord record = new EnrichedRecord(1, at.toEpochMilli() * 1_000_000L,
                    Map.of("app", "n8n", "namespace", "homelab", "level", level.label()), level, "event " + i, null, null, "src", null);
            records.add(new ProducerRecord<>(topic, null, at.toEpochMilli(),
                    record.stream().canonical().getBytes(StandardCharsets.UTF_8), RecordCodec.encode(record)));
        }
        KAFKA.send(topic, records);
    }

    private record Run(int code, String err) {
    }

    private static Run replay(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Logpipe.commandLine();
        cli.setErr(new PrintWriter(err));
        List<String> full = new ArrayList<>(List.of("replay", "-b", KAFKA.bootstrapServers(), "-t", topic));
        full.addAll(List.of(args));
        return new Run(cli.execute(full.toArray(String[]::new)), err.toString());
    }

    @Test
    void aRangeAndASelectorToAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("errors.jsonl");
        Run run = replay("--from", T0.plus(Duration.ofMinutes(10)).toString(), "--to", T0.plus(Duration.ofMinutes(20)).toString(),
                "{level=\"error\"}", "--to-file", file.toString());

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(Files.readAllLines(file)).map(l -> RecordCodec.decodeEnriched(l.getBytes(StandardCharsets.UTF_8)).line())
                .containsExactly("event 12", "event 15", "event 18");
        // by default it reads on for an hour past --to, for lines written late: here to the end of the topic
        assertThat(run.err()).contains("replay: 50 of 50 records read (100%), 3 selected, 3 sent");
    }

    @Test
    void toLokiWithATenant() {
        try (LokiTestServer loki = LokiTestServer.start()) {
            Run run = replay("--from", "30m", "{level=\"info\"} |= \"event 5\"", "--to-loki", loki.url(), "--tenant", "homelab");

            assertThat(run.code()).as(run.err()).isZero();
            assertThat(loki.entries()).extracting(StoredEntry::line).containsExactlyInAnyOrder("event 50", "event 52", "event 53",
                    "event 55", "event 56", "event 58", "event 59");
            assertThat(loki.pushes()).allMatch(p -> "homelab".equals(p.tenant()));
        }
    }

    @Test
    void exactlyOneDestinationIsRequired() {
        assertThat(replay("--from", "1h").code()).isEqualTo(2);
        assertThat(replay("--from", "1h", "--to-stdout", "--to-file", "x").code()).isEqualTo(2);
        assertThat(replay("--from", "yesterday-ish", "--to-stdout").code()).isEqualTo(2);
    }
}

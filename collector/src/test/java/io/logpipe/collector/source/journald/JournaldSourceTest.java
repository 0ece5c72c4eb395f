package io.logpipe.collector.source.journald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logpipe.collector.CollectorUnderTest;
import io.logpipe.record.LineText;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordFlag;
import io.logpipe.testkit.KafkaBrokerExtension;
import io.logpipe.testkit.journal.JournalEntry;
import io.logpipe.testkit.journal.JournalFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * journald from real journal files: written during the test from the journal export format by
 * systemd-journal-remote, read by journalctl exactly as on the compute node.
 */
class JournaldSourceTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final byte[] BINARY_MESSAGE = {'G', 'P', 'U', ' ', 0, (byte) 0xff, (byte) 0xfe, ' ', 'o', 'k'};

    @TempDir
    Path tmp;

    private final long baseMicros = (System.currentTimeMillis() - 60_000) * 1000;

    @Test
    void shipsEntriesWithAttributesKeepsBinaryFieldsAndResumesAfterTheCursor() throws Exception {
        String topic = KAFKA.newTopic("raw", 3);
        Path journals = Files.createDirectories(tmp.resolve("journal"));
        writeJournal(journals.resolve("first.journal"), List.of(
                entry(1, "ollama.service", "ollama", "6", "msg=\"model loaded\" model=llama3".getBytes(StandardCharsets.UTF_8)),
                entry(2, "litellm.service", "litellm", "3", "router: no healthy deployment".getBytes(StandardCharsets.UTF_8)),
                entry(3, "ollama.service", "ollama", "4", BINARY_MESSAGE)));
        String yaml = journalsIn(journals, topic, "labels: {job: systemd-journal, host: pesubuntu}");
        try (CollectorUnderTest collector = new CollectorUnderTest(yaml)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> collector.counter("logpipe.collector.records.sent") >= 3);
            assertThat(collector.badInput("systemd", "binary_field")).isEqualTo(1);
        }
        List<RawRecord> first = CollectorUnderTest.read(KAFKA, topic, 3, Duration.ofSeconds(30));
        Map<String, RawRecord> byUnit = first.stream().collect(Collectors.toMap(r -> r.attributes().get("unit") + r.attributes().get("priority"), r -> r));
        RawRecord loaded = byUnit.get("ollama.service6");
        assertThat(loaded.line()).isEqualTo("msg=\"model loaded\" model=llama3");
        assertThat(loaded.timestampNanos()).isEqualTo((baseMicros + 1) * 1000);
        assertThat(loaded.labels()).isEqualTo(Map.of("job", "systemd-journal", "host", "pesubuntu"));
        assertThat(loaded.attributes()).containsEntry("syslog_identifier", "ollama").containsEntry("pid", "4242")
                .containsEntry("boot_id", "0123456789abcdef0123456789abcdef").containsEntry("hostname", "pesubuntu")
                .containsEntry("transport", "stdout");
        assertThat(loaded.source()).isEqualTo("pesubuntu/journald/ollama.service");
        RawRecord binary = byUnit.get("ollama.service4");
        assertThat(binary.flags()).contains(RecordFlag.INVALID_UTF8);
        assertThat(Base64.getDecoder().decode(binary.rawBytes())).isEqualTo(BINARY_MESSAGE);
        assertThat(binary.line()).startsWith("GPU ").endsWith(" ok");

        // a second journal file written while the collector is down, a third while it runs again
        writeJournal(journals.resolve("second.journal"), List.of(
                entry(4, "ollama.service", "ollama", "6", "after restart".getBytes(StandardCharsets.UTF_8))));
        try (CollectorUnderTest collector = new CollectorUnderTest(yaml)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> collector.counter("logpipe.collector.records.sent") >= 1);
            writeJournal(journals.resolve("third.journal"), List.of(
                    entry(5, "ollama.service", "ollama", "6", "while running".getBytes(StandardCharsets.UTF_8))));
            await().atMost(Duration.ofSeconds(60)).until(() -> collector.counter("logpipe.collector.records.sent") >= 2);
        }
        List<RawRecord> all = CollectorUnderTest.read(KAFKA, topic, 5, Duration.ofSeconds(30));
        assertThat(all).extracting(RawRecord::line).hasSize(5).contains("after restart", "while running");
    }

    @Test
    void journalctlEndingIsCountedAndRestarted() throws Exception {
        String yaml = """
                kafka: {bootstrap_servers: %s}
                metrics: {enabled: false}
                checkpoint_dir: %s
                sources:
                  journald:
                    - name: broken
                      journalctl: /bin/false
                      restart_delay: 100ms
                """.formatted(KAFKA.bootstrapServers(), tmp.resolve("state2"));
        try (CollectorUnderTest collector = new CollectorUnderTest(yaml)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> collector.counter("logpipe.collector.journald.restarts", "source", "broken") >= 2);
        }
    }

    @Test
    void aJournalctlEndedByTheServicesStopIsNotCountedAsARestart() throws Exception {
        // Ctrl-C or systemctl stop signals journalctl too, often before the source is closed: the
        // restart is counted (and logged) only once the restart delay has passed without a stop
        Path started = tmp.resolve("started");
        Path journalctl = tmp.resolve("signalled-journalctl");
        Files.writeString(journalctl, "#!/bin/sh\necho started >> " + started + "\nkill -TERM $$\n");
        journalctl.toFile().setExecutable(true);
        String yaml = """
                kafka: {bootstrap_servers: %s}
                metrics: {enabled: false}
                checkpoint_dir: %s
                sources:
                  journald:
                    - name: stopping
                      journalctl: %s
                      restart_delay: 1h
                """.formatted(KAFKA.bootstrapServers(), tmp.resolve("state3"), journalctl);
        try (CollectorUnderTest collector = new CollectorUnderTest(yaml)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(started));
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> collector.counter("logpipe.collector.journald.restarts", "source", "stopping") == 0);
        }
        assertThat(Files.readAllLines(started)).hasSize(1);
    }

    @Test
    void aTenMegabyteMessageAndAMultiMegabyteBinaryOneGoAsSplitPiecesAndTheEntriesAfterThemToo() throws Exception {
        String topic = KAFKA.newTopic("raw", 3);
        Path journals = Files.createDirectories(tmp.resolve("journal"));
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 10_000_000; i++) {
            text.append("chunk ").append(i).append(' ');
        }
        String tenMegabytes = text.substring(0, 10_000_000);
        // a binary MESSAGE (not UTF-8), as journalctl prints it: an array of numbers, ~3.5 characters a byte
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; bytes.size() < 3_000_000; i++) {
            bytes.writeBytes(("GPU " + i + " é ").getBytes(StandardCharsets.UTF_8));
            bytes.write(0xff);
        }
        byte[] threeMegabytes = java.util.Arrays.copyOf(bytes.toByteArray(), 3_000_000);
        writeJournal(journals.resolve("big.journal"), List.of(
                entry(1, "ollama.service", "ollama", "6", "before".getBytes(StandardCharsets.UTF_8)),
                entry(2, "ollama.service", "ollama", "6", tenMegabytes.getBytes(StandardCharsets.UTF_8)),
                entry(3, "ollama.service", "ollama", "4", threeMegabytes),
                entry(4, "ollama.service", "ollama", "6", "after".getBytes(StandardCharsets.UTF_8))));
        String yaml = journalsIn(journals, topic, "");
        int piece = 256 * 1024; // the default max_line_size
        int textPieces = 10_000_000 / piece + 1;
        int binaryPieces = 3_000_000 / piece + 1; // a piece is at most 1 byte short (not cut inside "é")
        int expected = 2 + textPieces + binaryPieces;
        try (CollectorUnderTest collector = new CollectorUnderTest(yaml)) {
            await().atMost(Duration.ofSeconds(120)).until(() -> collector.counter("logpipe.collector.records.sent") >= expected);
            assertThat(collector.badInput("systemd", "line_too_long")).isEqualTo(2);
            assertThat(collector.badInput("systemd", "binary_field")).isEqualTo(1);
        }
        // one unit, one Kafka key, one partition: the records come back in the order they were sent
        List<RawRecord> records = CollectorUnderTest.read(KAFKA, topic, expected, Duration.ofSeconds(60));
        assertThat(records).hasSize(expected);
        assertThat(records.get(0).line()).isEqualTo("before");
        assertThat(records.get(0).flags()).isEmpty();
        assertThat(records.get(expected - 1).line()).isEqualTo("after");

        List<RawRecord> textRecords = records.subList(1, 1 + textPieces);
        assertThat(textRecords).allMatch(r -> r.flags().equals(java.util.Set.of(RecordFlag.SPLIT)))
                .allMatch(r -> r.timestampNanos() == (baseMicros + 2) * 1000)
                .allMatch(r -> r.source().equals("pesubuntu/journald/ollama.service"));
        assertThat(textRecords.stream().map(RawRecord::line).collect(Collectors.joining())).isEqualTo(tenMegabytes);

        // raw bytes across pieces: each piece carries its own original bytes (raw_bytes where they are
        // not UTF-8, else its line's UTF-8); one after the other they are the MESSAGE
        List<RawRecord> binaryRecords = records.subList(1 + textPieces, expected - 1);
        assertThat(binaryRecords).allMatch(r -> r.has(RecordFlag.SPLIT) && r.has(RecordFlag.INVALID_UTF8))
                .allMatch(r -> r.timestampNanos() == (baseMicros + 3) * 1000)
                .allMatch(r -> "4".equals(r.attributes().get("priority")));
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        binaryRecords.forEach(r -> joined.writeBytes(new LineText(r.line(), r.rawBytes()).originalBytes()));
        assertThat(joined.toByteArray()).isEqualTo(threeMegabytes);
    }

    @Test
    void malformedEntriesAreCountedAndTheEntriesAfterThemShipped() throws Exception {
        String topic = KAFKA.newTopic("raw", 1);
        // a fake journalctl: what it prints is what a broken or unexpected journalctl could print
        Path output = tmp.resolve("output.json");
        Files.writeString(output, """
                not an entry
                {"__REALTIME_TIMESTAMP":"1700000000000001","MESSAGE":"no cursor"}
                {"__CURSOR":"c2","__REALTIME_TIMESTAMP":"1700000000000002","MESSAGE":"cut off in the mid
                {"MESSAGE":"fine","__CURSOR":"c3","_SYSTEMD_UNIT":"x.service","__REALTIME_TIMESTAMP":"1700000000000003"}
                """);
        Path journalctl = tmp.resolve("journalctl");
        Files.writeString(journalctl, "#!/bin/sh\ncat " + output + "\n");
        journalctl.toFile().setExecutable(true);
        String yaml = """
                %s
                sources:
                  journald:
                    - name: fake
                      journalctl: %s
                      restart_delay: 1h
                """.formatted(CollectorUnderTest.configHeader("pesubuntu", KAFKA.bootstrapServers(), topic, tmp.resolve("state")),
                journalctl);
        try (CollectorUnderTest collector = new CollectorUnderTest(yaml)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> collector.counter("logpipe.collector.records.sent") >= 1);
            assertThat(collector.badInput("fake", "malformed_journal_entry")).isEqualTo(3);
        }
        RawRecord fine = CollectorUnderTest.read(KAFKA, topic, 1, Duration.ofSeconds(30)).get(0);
        assertThat(fine.line()).isEqualTo("fine");
        assertThat(fine.source()).isEqualTo("pesubuntu/journald/x.service");
        assertThat(fine.timestampNanos()).isEqualTo(1_700_000_000_000_003_000L);
    }

    /** The collector's YAML for a journald source named systemd reading the journal files in {@code journals}, with {@code more} keys. */
    private String journalsIn(Path journals, String topic, String more) {
        return """
                %s
                sources:
                  journald:
                    - name: systemd
                      directory: %s
                      max_age: 12h
                """.formatted(CollectorUnderTest.configHeader("pesubuntu", KAFKA.bootstrapServers(), topic, tmp.resolve("state")), journals)
                + more.indent(6);
    }

    private JournalEntry entry(int n, String unit, String identifier, String priority, byte[] message) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("_HOSTNAME", "pesubuntu");
        fields.put("_TRANSPORT", "stdout");
        fields.put("_PID", "4242");
        fields.put("_SYSTEMD_UNIT", unit);
        fields.put("SYSLOG_IDENTIFIER", identifier);
        fields.put("PRIORITY", priority);
        return new JournalEntry(baseMicros + n, fields, message);
    }

    private static void writeJournal(Path file, List<JournalEntry> entries) throws Exception {
        JournalFiles.write(file, entries);
        assertThat(LineText.decode(Files.readAllBytes(file), 0, 8).text()).isEqualTo("LPKSHHRH"); // a real journal file
    }
}

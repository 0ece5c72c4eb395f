package io.logpipe.collector.source.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logpipe.collector.CollectorUnderTest;
import io.logpipe.collector.Stalled;
import io.logpipe.collector.checkpoint.CheckpointStore;
import io.logpipe.collector.tail.FileIdentity;
import io.logpipe.collector.tail.FilePosition;
import io.logpipe.collector.tail.Fingerprint;
import io.logpipe.kafka.TopicSpec;
import io.logpipe.kafka.embedded.EmbeddedKafkaBroker;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordFlag;
import io.logpipe.testkit.KafkaBrokerExtension;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path tmp;

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private String config(String topic, String sourceBlock) {
        return config(KAFKA.bootstrapServers(), topic, "", sourceBlock);
    }

    /** The collector's YAML for {@code sourceBlock}, shipping to {@code topic} on {@code bootstrapServers}, with {@code more} top-level keys. */
    private String config(String bootstrapServers, String topic, String more, String sourceBlock) {
        return """
                %s
                %s
                sources:
                  files:
                %s
                """.formatted(CollectorUnderTest.configHeader("pesubuntu", bootstrapServers, topic, tmp.resolve("state")), more,
                sourceBlock.indent(4));
    }

    /** Lines {@code prefix from} .. {@code prefix to-1}, each 100 bytes with its newline. */
    private static List<String> numbered(String prefix, int from, int to) {
        List<String> lines = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String line = "%s %05d ".formatted(prefix, i);
            lines.add(line + "x".repeat(99 - line.length()));
        }
        return lines;
    }

    private static void append(Path file, List<String> lines) throws Exception {
        append(file, String.join("\n", lines) + "\n");
    }

    /** logrotate's copytruncate: copy the file to {@code <name>.1}, truncate it in place (same inode). */
    private static void copyTruncate(Path file) throws Exception {
        Files.copy(file, file.resolveSibling(file.getFileName() + ".1"));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
    }

    /** A files source named {@code name} following {@code dir}/*.log, polled and scanned fast, with {@code more} keys. */
    private static String logsIn(String name, Path dir, String more) {
        return """
                - name: %s
                  paths: ["%s/*.log"]
                  poll_interval: 50ms
                  scan_interval: 200ms
                """.formatted(name, dir) + more.indent(2);
    }

    /**
     * A test's own directory of logs, followed by a files source named like it ({@link #logsIn})
     * into a topic of its own with one partition, so that the order of lines can be checked.
     */
    private final class Followed {
        final Path dir;
        final String topic;
        final String yaml;

        Followed(String name, String more) throws Exception {
            dir = Files.createDirectories(tmp.resolve(name));
            topic = KAFKA.newTopic("raw", 1);
            yaml = config(topic, logsIn(name, dir, more));
        }

        CollectorUnderTest collector() {
            return new CollectorUnderTest(yaml);
        }

        /** The lines of the topic's first {@code count} records, waiting up to a minute for them. */
        List<String> lines(int count) {
            return CollectorUnderTest.read(KAFKA, topic, count, Duration.ofSeconds(60)).stream().map(RawRecord::line).toList();
        }
    }

    @Test
    void followsCopytruncateAndRenameRotationAndNewFilesByGlob() throws Exception {
        String topic = KAFKA.newTopic("raw", 3);
        Path dir = Files.createDirectories(tmp.resolve("ollama"));
        Path server = dir.resolve("server.log");
        append(server, "one\ntwo\n");
        String yaml = config(topic, logsIn("ollama", dir, "labels: {job: ollama, host: pesubuntu, service: ollama}"));
        try (CollectorUnderTest collector = new CollectorUnderTest(yaml)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> collector.linesRead("ollama") >= 2);
            // logrotate copytruncate: copy away, truncate in place, the writer goes on at the start
            Files.copy(server, dir.resolve("server.log.1"));
            try (FileChannel channel = FileChannel.open(server, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
            await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ofMillis(300)).until(() -> true);
            append(server, "three\n");
            await().atMost(Duration.ofSeconds(60)).until(() -> collector.linesRead("ollama") >= 3);
            // rename rotation; the writer has not reopened yet and adds a line to the renamed file
            // after the collector moved on to the new one (logrotate's create before the HUP)
            Files.move(server, dir.resolve("server.log.2"));
            append(server, "four\n");
            await().atMost(Duration.ofSeconds(60)).until(() -> collector.linesRead("ollama") >= 4);
            append(dir.resolve("server.log.2"), "late, in the renamed file\n");
            // and a file that appears later
            append(dir.resolve("runner.log"), "five\n");
            List<RawRecord> records = CollectorUnderTest.read(KAFKA, topic, 6, Duration.ofSeconds(60));
            assertThat(records).extracting(RawRecord::line)
                    .containsExactlyInAnyOrder("one", "two", "three", "four", "late, in the renamed file", "five");
            RawRecord one = records.stream().filter(r -> r.line().equals("one")).findFirst().orElseThrow();
            assertThat(one.source()).isEqualTo("pesubuntu:" + server);
            assertThat(one.labels()).containsEntry("job", "ollama").containsEntry("service", "ollama").containsEntry("host", "pesubuntu");
            assertThat(one.attributes()).containsEntry("filename", server.toString());
            assertThat(one.flags()).contains(RecordFlag.READ_TIME);
        }
    }

    @Test
    void startAtEndSkipsWhatAFileHeldAtTheVeryFirstStartOnlyNotWhatItGotWhileTheCollectorWasDown() throws Exception {
        Followed logs = new Followed("quiet", "start_at: end");
        Path quiet = logs.dir.resolve("quiet.log");
        append(quiet, "before the first start\n");
        Path checkpoints = tmp.resolve("state").resolve("checkpoints.json");
        try (CollectorUnderTest collector = logs.collector()) {
            // the file is quiet: no line is shipped, but where reading starts is saved
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(checkpoints) && Files.readString(checkpoints).contains(quiet.toString()));
        }
        append(quiet, "written while the collector was down\n");
        try (CollectorUnderTest collector = logs.collector()) {
            assertThat(logs.lines(1)).containsExactly("written while the collector was down");
        }
    }

    @Test
    void aFileRotatedTwiceWhileTheCollectorWasDownIsReadWholeMiddleFileIncluded() throws Exception {
        Followed logs = new Followed("rotating", "");
        Path dir = logs.dir;
        Path server = dir.resolve("server.log");
        append(server, "one\n");
        try (CollectorUnderTest collector = logs.collector()) {
            logs.lines(1);
        }
        // down: the writer goes on, logrotate runs twice (numbered, without compressing)
        append(server, "two\n");
        Files.move(server, dir.resolve("server.log.1"));
        append(server, "three\n");
        Files.move(dir.resolve("server.log.1"), dir.resolve("server.log.2"));
        Files.move(server, dir.resolve("server.log.1"));
        append(server, "four\n");
        // written in that order (file times can be coarser than the steps above)
        Instant now = Instant.now();
        Files.setLastModifiedTime(dir.resolve("server.log.2"), java.nio.file.attribute.FileTime.from(now.minusSeconds(3)));
        Files.setLastModifiedTime(dir.resolve("server.log.1"), java.nio.file.attribute.FileTime.from(now.minusSeconds(2)));
        Files.setLastModifiedTime(server, java.nio.file.attribute.FileTime.from(now.minusSeconds(1)));

        try (CollectorUnderTest collector = logs.collector()) {
            assertThat(logs.lines(4)).containsExactly("one", "two", "three", "four");
        }
    }

    @Test
    void aFileCopytruncatedAndWrittenPastTheCheckpointWhileTheCollectorWasDownIsReadFromItsStartAfterTheRestOfItsCopy() throws Exception {
        Followed logs = new Followed("copytruncated", "");
        Path server = logs.dir.resolve("server.log");
        append(server, "old one\nold two\n");
        try (CollectorUnderTest collector = logs.collector()) {
            logs.lines(2);
        }
        // down: the writer goes on, logrotate copies and truncates in place (same inode), the writer
        // goes on at the start, past the old offset
        append(server, "old three\n");
        copyTruncate(server);
        append(server, "new one\nnew two\nnew three\n");

        try (CollectorUnderTest collector = logs.collector()) {
            // the copy is finished from the checkpoint first, then the file is read from its start
            assertThat(logs.lines(6)).containsExactly("old one", "old two", "old three", "new one", "new two", "new three");
        }
    }

    @Test
    void aFileCopytruncatedAndWrittenPastItsReadOffsetWhileKafkaIsDownIsReadWholeAfterwardsCopyFirst() throws Exception {
        // a broker of its own: this test takes it away and gives it back
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(tmp.resolve("kafka"), "localhost", 0, 1).start();
        try {
            String topic = "raw-outage";
            broker.createTopics(List.of(new TopicSpec(topic, 1, Map.of())));
            Path dir = Files.createDirectories(tmp.resolve("outage"));
            Path app = dir.resolve("app.log");
            List<String> shipped = numbered("old", 0, 100);
            // more than one 256 KiB read chunk: reading stops inside the first one, the rest is only in the copy
            List<String> whileDown = numbered("old", 100, 4000);
            // longer than all of the old content: past wherever reading stopped
            List<String> fresh = numbered("new", 0, 4500);
            append(app, shipped);
            String yaml = config(broker.bootstrapServers(), topic, "producer: {max_in_flight: 64KiB, batch_size: 16KiB}", logsIn("outage", dir, ""));
            try (CollectorUnderTest collector = new CollectorUnderTest(yaml)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> collector.counter("logpipe.collector.records.sent") >= shipped.size());

                broker.stop();
                append(app, whileDown);
                // reading stops (in-flight budget spent, or waiting inside send), long before the end of the file
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                        .until(new Stalled(() -> collector.linesRead("outage")));
                assertThat(collector.linesRead("outage")).isLessThan(shipped.size() + whileDown.size());
                copyTruncate(app);
                append(app, fresh);

                broker.start();
                // the collector is not restarted and its producer is idempotent, so at-least-once has
                // nothing to send twice here: every line exactly once, in the order written (one partition)
                List<String> expected = new ArrayList<>(shipped);
                expected.addAll(whileDown);
                expected.addAll(fresh);
                assertThat(CollectorUnderTest.read(broker.bootstrapServers(), topic, expected.size(), Duration.ofSeconds(120)))
                        .extracting(RawRecord::line).containsExactlyElementsOf(expected);
            }
        } finally {
            broker.close();
        }
    }

    @Test
    void aFileTruncatedAndWrittenPastItsReadOffsetBetweenTwoPollsIsReadFromItsStartAfterTheRestOfItsCopy() throws Exception {
        Followed logs = new Followed("rewritten", "");
        Path server = logs.dir.resolve("server.log");
        append(server, "old one\nold two\n");
        try (CollectorUnderTest collector = logs.collector()) {
            logs.lines(2);
            // read now or only from the copy: either way once
            append(server, "old three\n");
            Files.copy(server, logs.dir.resolve("server.log.1"));
            // copytruncate with a writer faster than the polls. Truncating first would let a poll see
            // the file shorter than its read offset (the case that was always noticed); writing the
            // new content over the old in place leaves what the next poll sees the same, without that
            try (FileChannel channel = FileChannel.open(server, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap("new one\nnew two\nnew three\nnew four\n".getBytes(StandardCharsets.UTF_8)), 0);
            }
            assertThat(logs.lines(7)).containsExactly("old one", "old two", "old three", "new one", "new two", "new three", "new four");
        }
    }

    @Test
    void aCheckpointWhoseDeviceAndInodeNowNameAnotherFileIsNotResumed() throws Exception {
        Followed logs = new Followed("reused", "");
        Path app = logs.dir.resolve("app.log");
        append(app, "first\nsecond\nthird\n");
        // the checkpoint of a file deleted while the collector was down, whose inode the new app.log got
        byte[] gone = "gone!\n".getBytes(StandardCharsets.UTF_8);
        CheckpointStore store = new CheckpointStore(tmp.resolve("state"), Clock.systemUTC());
        store.progress("reused|" + app, new FilePosition(FileIdentity.of(app), gone.length, Fingerprint.of(gone, gone.length)));
        store.save();

        try (CollectorUnderTest collector = logs.collector()) {
            assertThat(logs.lines(3)).containsExactly("first", "second", "third");
        }
    }

    @Test
    void aCheckpointWithoutFingerprintFromAnOlderVersionIsResumedAtItsOffset() throws Exception {
        Followed logs = new Followed("upgraded", "");
        Path app = logs.dir.resolve("app.log");
        append(app, "shipped before the upgrade\nnot yet\n");
        FileIdentity identity = FileIdentity.of(app);
        Path checkpoints = Files.createDirectories(tmp.resolve("state")).resolve("checkpoints.json");
        Files.writeString(checkpoints, """
                {"version": 1, "saved_at": "2026-11-25T10:00:00Z",
                 "positions": {"upgraded|%s": {"file": {"device": %d, "inode": %d}, "offset": %d}}}
                """.formatted(app, identity.device(), identity.inode(), "shipped before the upgrade\n".length()));

        try (CollectorUnderTest collector = logs.collector()) {
            assertThat(logs.lines(1)).containsExactly("not yet");
        }
        assertThat(Files.readString(checkpoints)).contains("fingerprint");
    }

    @Test
    void aRestartResumesAFileAppendedToWhileDownExactlyAtItsCheckpointBeforeAndAfterItOutgrowsTheFingerprint() throws Exception {
        Followed logs = new Followed("appended", "");
        Path app = logs.dir.resolve("app.log");
        List<String> lines = new ArrayList<>(List.of("a", "b"));
        append(app, "a\nb\n");
        try (CollectorUnderTest collector = logs.collector()) {
            logs.lines(2);
        }
        // the checkpoint's fingerprint covers 4 bytes; the file grows past FileHead.SIZE while down
        for (int i = 0; i < 50; i++) {
            String line = "line %02d, long enough to pass 1 KiB in fifty".formatted(i);
            lines.add(line);
            append(app, line + "\n");
        }
        try (CollectorUnderTest collector = logs.collector()) {
            assertThat(logs.lines(lines.size())).containsExactlyElementsOf(lines);
        }
        // now fingerprinted over its first FileHead.SIZE bytes
        lines.add("after the second restart");
        append(app, "after the second restart\n");
        try (CollectorUnderTest collector = logs.collector()) {
            assertThat(logs.lines(lines.size())).containsExactlyElementsOf(lines);
        }
    }

    @Test
    void joinsStackTracesByStartPatternAndParsesTimestamps() throws Exception {
        String topic = KAFKA.newTopic("raw", 3);
        Path log = tmp.resolve("litellm.log");
        append(log, """
                2026-11-25T10:00:01.5Z ERROR request failed
                java.lang.IllegalStateException: boom
                    at a.b.C.d(C.java:1)
                    at a.b.C.e(C.java:2)
                2026-11-25T10:00:02Z INFO recovered
                Nov 25 10:00:03 not a start line by the pattern
                """);
        String yaml = config(topic, """
                - name: litellm
                  paths: ["%s"]
                  multiline: {start_pattern: '^\\d{4}-\\d{2}-\\d{2}T', timeout: 500ms}
                  timestamp: {regex: '^(\\S+)', format: rfc3339}
                  poll_interval: 50ms
                """.formatted(log));
        try (CollectorUnderTest collector = new CollectorUnderTest(yaml)) {
            List<RawRecord> records = CollectorUnderTest.read(KAFKA, topic, 2, Duration.ofSeconds(60));
            assertThat(records).hasSize(2);
            assertThat(records.get(0).line()).isEqualTo("""
                    2026-11-25T10:00:01.5Z ERROR request failed
                    java.lang.IllegalStateException: boom
                        at a.b.C.d(C.java:1)
                        at a.b.C.e(C.java:2)""");
            assertThat(records.get(0).flags()).containsExactly(RecordFlag.JOINED);
            assertThat(records.get(0).timestampNanos()).isEqualTo(Instant.parse("2026-11-25T10:00:01.5Z").toEpochMilli() * 1_000_000L);
            assertThat(records.get(1).line()).isEqualTo("2026-11-25T10:00:02Z INFO recovered\nNov 25 10:00:03 not a start line by the pattern");
        }
    }
}

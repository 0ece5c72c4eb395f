package io.logpipe.collector.source.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logpipe.collector.CollectorUnderTest;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordFlag;
import io.logpipe.testkit.KafkaBrokerExtension;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is counted and kept or flagged; the collector goes on. */
class BadInputTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path tmp;

    @Test
    void invalidUtf8TenMegabyteLineMalformedCriAndUnreadableFileAreCountedAndShipped() throws Exception {
        String topic = KAFKA.newTopic("raw", 3);
        Path files = Files.createDirectories(tmp.resolve("files"));
        byte[] invalid = {'b', 'a', 'd', ' ', (byte) 0xc3, (byte) 0x28, ' ', 'u', 't', 'f', '8'};
        try (OutputStream out = Files.newOutputStream(files.resolve("app.log"))) {
            out.write("before\n".getBytes(StandardCharsets.UTF_8));
            out.write(invalid);
            out.write('\n');
            byte[] huge = new byte[10 * 1024 * 1024];
            Arrays.fill(huge, (byte) 'x');
            out.write(huge);
            out.write("\nafter\n".getBytes(StandardCharsets.UTF_8));
        }
        byte[] huge = new byte[10 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'y');
        try (OutputStream out = Files.newOutputStream(files.resolve("truncated.log"))) {
            out.write(huge);
            out.write("\nshort\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.createSymbolicLink(files.resolve("gone.log"), tmp.resolve("does-not-exist"));
        Path pod = Files.createDirectories(tmp.resolve("pods/homelab_n8n-1_uid-1/n8n")).resolve("0.log");
        try (OutputStream out = Files.newOutputStream(pod)) {
            out.write("this is not a CRI line\n2026-11-25T10:00:00Z stdout F fine\n".getBytes(StandardCharsets.UTF_8));
            // pod lines are encoded straight from the bytes read; these take the other ways
            out.write("2026-11-25T10:00:01Z stdout F caf\u00e9 \u4e2d \"quoted\"\n".getBytes(StandardCharsets.UTF_8));
            out.write("2026-11-25T10:00:02Z stderr F pod ".getBytes(StandardCharsets.UTF_8));
            out.write(invalid);
            out.write('\n');
            byte[] large = new byte[2 * 1000 * 1000]; // over producer.max_record_size: split into records that fit
            Arrays.fill(large, (byte) 'z');
            out.write("2026-11-25T10:00:03Z stdout F ".getBytes(StandardCharsets.UTF_8));
            out.write(large);
            out.write('\n');
        }

        String yaml = """
                %s
                sources:
                  pods:
                    - paths: ["%s/*/*/*.log"]
                      kubernetes_metadata: false
                      max_line_size: 4MiB
                  files:
                    - name: app
                      paths: ["%s/app.log", "%s/gone.log"]
                      max_line_size: 512KiB
                      long_lines: split
                    - name: cut
                      paths: ["%s/truncated.log"]
                      max_line_size: 64KiB
                      long_lines: truncate
                """.formatted(CollectorUnderTest.configHeader("pesubuntu", KAFKA.bootstrapServers(), topic, tmp.resolve("state")), tmp.resolve("pods"), files, files, files);
        try (CollectorUnderTest collector = new CollectorUnderTest(yaml)) {
            // app: before, bad utf8, 20 pieces of the 10 MiB line, after; cut: one truncated line, short;
            // pods: 4, and the 2 MB line in 3 parts
            List<RawRecord> records = CollectorUnderTest.read(KAFKA, topic, 32, Duration.ofSeconds(90));
            assertThat(records).hasSize(32);

            RawRecord unicode = records.stream().filter(r -> r.line().startsWith("caf")).findFirst().orElseThrow();
            assertThat(unicode.line()).isEqualTo("caf\u00e9 \u4e2d \"quoted\"");
            assertThat(unicode.flags()).isEmpty();
            assertThat(unicode.rawBytes()).isNull();
            assertThat(unicode.attributes()).containsEntry("stream", "stdout").containsEntry("format", "cri");
            RawRecord podBad = records.stream().filter(r -> r.line().startsWith("pod bad ")).findFirst().orElseThrow();
            assertThat(podBad.line()).isEqualTo("pod bad \uFFFD( utf8");
            assertThat(podBad.flags()).containsExactly(RecordFlag.INVALID_UTF8);
            assertThat(Base64.getDecoder().decode(podBad.rawBytes())).isEqualTo(("pod " + new String(invalid, StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(podBad.attributes()).containsEntry("stream", "stderr").containsEntry("namespace", "homelab");
            assertThat(podBad.timestampNanos()).isEqualTo(java.time.Instant.parse("2026-11-25T10:00:02Z").getEpochSecond() * 1_000_000_000L);
            List<RawRecord> podLarge = records.stream().filter(r -> r.line().startsWith("z")).toList();
            assertThat(podLarge).hasSize(3).allSatisfy(part -> {
                assertThat(part.flags()).containsExactly(RecordFlag.SPLIT);
                assertThat(part.line()).matches("z+");
                assertThat(part.attributes()).containsEntry("stream", "stdout");
            });
            assertThat(podLarge.stream().mapToInt(r -> r.line().length()).sum()).isEqualTo(2 * 1000 * 1000);

            RawRecord bad = records.stream().filter(r -> r.line().startsWith("bad ")).findFirst().orElseThrow();
            assertThat(bad.flags()).contains(RecordFlag.INVALID_UTF8);
            assertThat(Base64.getDecoder().decode(bad.rawBytes())).isEqualTo(invalid);
            assertThat(bad.line()).isEqualTo("bad \uFFFD( utf8");

            List<RawRecord> pieces = records.stream().filter(r -> r.line().startsWith("x")).toList();
            assertThat(pieces).hasSize(20).allSatisfy(r -> assertThat(r.flags()).contains(RecordFlag.SPLIT));
            assertThat(pieces.stream().mapToInt(r -> r.line().length()).sum()).isEqualTo(10 * 1024 * 1024);

            RawRecord truncated = records.stream().filter(r -> r.line().startsWith("y")).findFirst().orElseThrow();
            assertThat(truncated.line()).hasSize(64 * 1024);
            assertThat(truncated.flags()).contains(RecordFlag.TRUNCATED);

            RawRecord malformed = records.stream().filter(r -> r.line().equals("this is not a CRI line")).findFirst().orElseThrow();
            assertThat(malformed.flags()).contains(RecordFlag.READ_TIME);
            assertThat(malformed.attributes()).containsEntry("namespace", "homelab").containsEntry("format", "unknown");
            assertThat(records).extracting(RawRecord::line).contains("before", "after", "short", "fine");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(collector.badInput("app", "invalid_utf8")).isEqualTo(1);
                assertThat(collector.badInput("app", "line_too_long")).isEqualTo(1);
                assertThat(collector.badInput("cut", "line_too_long")).isEqualTo(1);
                assertThat(collector.badInput("app", "unreadable_file")).isEqualTo(1);
                assertThat(collector.badInput("pods", "malformed_container_line")).isEqualTo(1);
                assertThat(collector.badInput("pods", "invalid_utf8")).isEqualTo(1);
            });
            assertThat(collector.collector.ready()).isTrue();
        }
    }

    @Test
    void aMegabyteLineOfInvalidBytesArrivesByteForByteThenTheNextLine() throws Exception {
        String topic = KAFKA.newTopic("raw", 1);
        Path files = Files.createDirectories(tmp.resolve("files"));
        // no byte here starts a sequence its next byte completes: each becomes U+FFFD (3 bytes) in
        // line and is in raw_bytes again, so a 256 KiB piece encodes to over a megabyte
        byte[] invalid = new byte[1024 * 1024];
        for (int i = 0; i < invalid.length; i++) {
            invalid[i] = (byte) (0x80 + i % 128);
        }
        try (OutputStream out = Files.newOutputStream(files.resolve("app.log"))) {
            out.write(invalid);
            out.write("\nthe next line\n".getBytes(StandardCharsets.UTF_8));
        }
        String yaml = """
                %s
                sources:
                  files:
                    - name: app
                      paths: ["%s/app.log"]
                """.formatted(CollectorUnderTest.configHeader("pesubuntu", KAFKA.bootstrapServers(), topic, tmp.resolve("state")), files);
        try (CollectorUnderTest collector = new CollectorUnderTest(yaml)) {
            // the line in 4 pieces of max_line_size (256 KiB), each in 2 parts that fit; the next line
            List<RawRecord> records = CollectorUnderTest.read(KAFKA, topic, 9, Duration.ofSeconds(60));
            assertThat(records).hasSize(9);

            List<RawRecord> parts = records.subList(0, 8);
            assertThat(parts).allSatisfy(part -> {
                assertThat(part.flags()).contains(RecordFlag.SPLIT, RecordFlag.INVALID_UTF8).doesNotContain(RecordFlag.TRUNCATED);
                assertThat(part.attributes()).containsEntry("filename", files.resolve("app.log").toString());
            });
            ByteArrayOutputStream original = new ByteArrayOutputStream();
            parts.forEach(part -> original.writeBytes(Base64.getDecoder().decode(part.rawBytes())));
            assertThat(original.size()).isEqualTo(invalid.length);
            assertThat(Arrays.equals(original.toByteArray(), invalid)).as("raw_bytes of the parts, joined, are the line").isTrue();
            assertThat(records.get(8).line()).isEqualTo("the next line");
            assertThat(records.get(8).flags()).doesNotContain(RecordFlag.SPLIT, RecordFlag.TRUNCATED, RecordFlag.INVALID_UTF8);
        }
    }
}

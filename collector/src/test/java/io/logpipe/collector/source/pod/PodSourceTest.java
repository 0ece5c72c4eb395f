package io.logpipe.collector.source.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logpipe.collector.CollectorUnderTest;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.RecordFlag;
import io.logpipe.testkit.KafkaBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PodSourceTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path tmp;

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00.123456789Z");

    static String cri(int n, String stream, String tag, String message) {
        return T0.plusMillis(n) + " " + stream + " " + tag + " " + message + "\n";
    }

    static long nanos(int n) {
        Instant t = T0.plusMillis(n);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    String config(String topic) {
        return """
                %s
                checkpoint_interval: 100ms
                sources:
                  pods:
                    - paths: ["%s/*/*/*.log"]
                      node_name: asuna
                      kubernetes_metadata: false
                      poll_interval: 50ms
                      scan_interval: 200ms
                """.formatted(CollectorUnderTest.configHeader("asuna", KAFKA.bootstrapServers(), topic, tmp.resolve("state")), tmp.resolve("pods"));
    }

    @Test
    void joinsPartialLinesPerStreamAndFollowsARotationWithoutLossOrRereading() throws Exception {
        String topic = KAFKA.newTopic("raw", 3);
        Path dir = Files.createDirectories(tmp.resolve("pods/homelab_n8n-5d8f_7f9c2b1e-4a2d/n8n"));
        Path log = dir.resolve("0.log");
        append(log, cri(1, "stdout", "F", "first line")
                + cri(2, "stdout", "P", "joined-a ")
                + cri(3, "stderr", "F", "an error in between")
                + cri(4, "stdout", "P", "joined-b ")
                + cri(5, "stdout", "F", "joined-c")
                + "{\"log\":\"docker line\\n\",\"stream\":\"stderr\",\"time\":\"" + T0.plusMillis(6) + "\"}\n");
        try (var collector = new CollectorUnderTest(config(topic))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> collector.linesRead("pods") >= 4);
            // a partial line at the end of the old file, then the kubelet rotates: rename, new 0.log
            append(log, cri(7, "stdout", "F", "last before rotation") + cri(8, "stdout", "P", "spans-"));
            await().atMost(Duration.ofSeconds(60)).until(() -> collector.linesRead("pods") >= 5);
            Files.move(log, dir.resolve("0.log.20261125-100000"));
            append(log, cri(9, "stdout", "F", "rotation") + cri(10, "stdout", "F", "after rotation"));
            List<RawRecord> records = CollectorUnderTest.read(KAFKA, topic, 8, Duration.ofSeconds(60));

            Map<String, RawRecord> byLine = records.stream().collect(Collectors.toMap(RawRecord::line, r -> r));
            assertThat(records).extracting(RawRecord::line).containsExactlyInAnyOrder(
                    "first line", "an error in between", "joined-a joined-b joined-c", "docker line",
                    "last before rotation", "spans-", "rotation", "after rotation");
            assertThat(byLine.get("joined-a joined-b joined-c").timestampNanos()).isEqualTo(nanos(2));
            assertThat(byLine.get("joined-a joined-b joined-c").flags()).contains(RecordFlag.JOINED);
            assertThat(byLine.get("an error in between").attributes()).containsEntry("stream", "stderr");
            assertThat(byLine.get("docker line").attributes()).containsEntry("format", "docker").containsEntry("stream", "stderr");
            assertThat(byLine.get("after rotation").timestampNanos()).isEqualTo(nanos(10));
            assertThat(byLine.get("first line").attributes()).containsEntry("namespace", "homelab")
                    .containsEntry("pod", "n8n-5d8f").containsEntry("pod_uid", "7f9c2b1e-4a2d").containsEntry("container", "n8n")
                    .containsEntry("node", "asuna").containsEntry("format", "cri");
            assertThat(records).allSatisfy(r -> assertThat(r.source()).isEqualTo("7f9c2b1e-4a2d/n8n"));
        }
    }
}

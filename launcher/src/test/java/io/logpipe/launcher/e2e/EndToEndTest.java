package io.logpipe.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logpipe.testkit.loki.StoredEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * collector → broker → stream-processor → loki-sink → Loki, each component in its own JVM, and
 * in every case the same expectation: every source line stored in Loki exactly once.
 * One pipeline serves all cases, in order; each case writes lines with its own tag.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndTest {
    private static final Duration DELIVERY = Duration.ofMinutes(4);

    @TempDir
    static Path dir;

    private PipelineHarness pipeline;

    @BeforeAll
    void startPipeline() throws Exception {
        pipeline = new PipelineHarness(dir).startAll();
    }

    @AfterAll
    void stopPipeline() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void steadyFlowOf100000LinesFromFilesPodsAndAJournal() throws Exception {
        SourceLines lines = new SourceLines(pipeline, "steady");
        lines.journal(0, 10_000);
        lines.pod("n8n-5d8f7c9b4-x2k9p", 0, 25_000);
        lines.pod("postgres-0", 0, 20_000);
        lines.file("syslog.log", 0, 45_000);

        assertThat(lines.expected()).hasSize(100_000);
        assertEveryLineStoredOnce(lines);
    }

    @Test
    @Order(2)
    void lokiDownRefusingThenFailingThenThrottlingLosesNothing() throws Exception {
        SourceLines lines = new SourceLines(pipeline, "outage");
        pipeline.loki.refuseConnections();
        lines.pod("redis-7c9d8b6f5-q4w8z", 0, 3_000);
        lines.file("syslog.log", 0, 3_000);
        Thread.sleep(5_000); // refused for a while: the backlog waits in Kafka
        assertThat(stored(lines.tag())).as("nothing reaches a Loki that refuses connections").isEmpty();

        pipeline.loki.healthy();
        pipeline.loki.failWith(503);
        lines.journal(0, 2_000);
        Thread.sleep(3_000);
        pipeline.loki.throttle(Duration.ofSeconds(1));
        lines.file("syslog.log", 3_000, 2_000);
        Thread.sleep(3_000);
        pipeline.loki.healthy();

        assertEveryLineStoredOnce(lines);
    }

    @Test
    @Order(3)
    void brokerRestartedMidRunLosesNothing() throws Exception {
        SourceLines lines = new SourceLines(pipeline, "broker");
        lines.pod("qdrant-0", 0, 5_000);
        lines.file("syslog.log", 0, 5_000);
        await().atMost(DELIVERY).until(() -> stored(lines.tag()).size() > 0);

        pipeline.broker.stop();
        lines.pod("qdrant-0", 5_000, 5_000);
        lines.file("syslog.log", 5_000, 5_000);
        Thread.sleep(5_000); // Kafka away for a while: collectors stop reading, the files are the buffer
        pipeline.broker.start();

        assertEveryLineStoredOnce(lines);
    }

    @Test
    @Order(4)
    void killMinusNineOfEachComponentAtARandomMomentThenRestart() throws Exception {
        Random random = new Random();
        SourceLines lines = new SourceLines(pipeline, "crash");
        int written = 0;
        for (ComponentProcess component : pipeline.components()) {
            lines.pod("n8n-5d8f7c9b4-x2k9p", written, 4_000);
            lines.file("syslog.log", written, 4_000);
            written += 4_000;
            Thread.sleep(500 + random.nextInt(3_000));
            component.kill();
            lines.pod("n8n-5d8f7c9b4-x2k9p", written, 2_000);
            written += 2_000;
            component.start();
        }
        lines.journal(0, 2_000);

        assertEveryLineStoredOnce(lines);
    }

    @Test
    @Order(5)
    void badInputIsStoredFixedUpOrDeadLetteredNeverSilentlyGone() throws Exception {
        SourceLines lines = new SourceLines(pipeline, "bad");
        lines.file("syslog.log", 0, 100);
        byte[] invalidUtf8 = "2026-01-01T00:00:00Z edge invalid-utf8 \u00ff"
                .replace("2026-01-01T00:00:00Z", java.time.Instant.now().toString()).getBytes(StandardCharsets.ISO_8859_1);
        java.nio.file.Files.write(pipeline.fileLog("syslog.log"), concat(invalidUtf8, new byte[] {'\n'}),
                java.nio.file.StandardOpenOption.APPEND);
        String huge = java.time.Instant.now() + " edge huge-line " + "x".repeat(10 * 1024 * 1024);
        java.nio.file.Files.writeString(pipeline.fileLog("syslog.log"), huge + "\n", java.nio.file.StandardOpenOption.APPEND);
        String tooOld = java.time.Instant.now().minus(Duration.ofDays(30)) + " edge too-old-entry";
        java.nio.file.Files.writeString(pipeline.fileLog("syslog.log"), tooOld + "\n", java.nio.file.StandardOpenOption.APPEND);

        assertEveryLineStoredOnce(lines);
        await().atMost(DELIVERY).untilAsserted(() -> {
            assertThat(stored("edge invalid-utf8")).as("invalid UTF-8 stored with U+FFFD").singleElement()
                    .satisfies(e -> assertThat(e.line()).contains("\uFFFD"));
            assertThat(stored("edge huge-line")).as("the 10 MB line stored in pieces Loki accepts").isNotEmpty()
                    .allSatisfy(e -> assertThat(e.line().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(262_144));
            assertThat(deadLetterReasons("edge too-old-entry")).as("the too-old entry is in logs.dlq with Loki's reason")
                    .anySatisfy(reason -> assertThat(reason).contains("too old"));
        });
    }

    private List<StoredEntry> stored(String text) {
        return pipeline.loki.entries().stream().filter(e -> e.line().contains(text)).toList();
    }

    private List<String> deadLetterReasons(String text) {
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]>(Map.of(
                "bootstrap.servers", pipeline.broker.bootstrapServers()),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor("logs.dlq", Duration.ofSeconds(30)).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition("logs.dlq", p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var reasons = new java.util.ArrayList<String>();
            for (int i = 0; i < 5; i++) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    if (new String(record.value(), StandardCharsets.UTF_8).contains(text)) {
                        var reason = record.headers().lastHeader("logpipe.reason");
                        reasons.add(reason == null ? "(no reason header)" : new String(reason.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            return reasons;
        }
    }

    private void assertEveryLineStoredOnce(SourceLines lines) {
        try {
            await().atMost(DELIVERY).pollInterval(Duration.ofSeconds(1))
                    .until(() -> stored(lines.tag() + " ").size() >= lines.expected().size());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("only " + stored(lines.tag() + " ").size() + " of " + lines.expected().size()
                    + " '" + lines.tag() + "' lines reached Loki" + pipeline.logs(), e);
        }
        Map<String, Long> timesStored = stored(lines.tag() + " ").stream()
                .collect(Collectors.groupingBy(StoredEntry::line, HashMap::new, Collectors.counting()));
        List<String> missing = lines.expected().stream().filter(line -> !timesStored.containsKey(line)).limit(5).toList();
        List<String> twice = timesStored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).limit(5).toList();
        assertThat(missing).as("lines never stored").isEmpty();
        assertThat(twice).as("lines stored twice").isEmpty();
        assertThat(timesStored).as("stored lines of this case").hasSize(lines.expected().size());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

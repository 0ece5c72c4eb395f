package io.logpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logpipe.record.EnrichedRecord;
import io.logpipe.testkit.KafkaBrokerExtension;
import io.logpipe.testkit.loki.LokiTestServer;
import io.logpipe.testkit.loki.StoredEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** kill -9 of the sink in the middle of pushing, then a restart: every record is in Loki exactly once. */
class SinkCrashTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void aSinkKilledMidPushAndRestartedStoresEveryRecordOnce() throws Exception {
        EnrichedTopic topic = new EnrichedTopic(KAFKA, 3);
        String dlq = KAFKA.newTopic("dlq", 1);
        String group = "crash-" + UUID.randomUUID();
        long now = System.currentTimeMillis() * 1_000_000L;
        int total = 20_000;
        String[] apps = {"n8n", "postgresql", "redis", "qdrant", "grafana"};
        List<EnrichedRecord> records = IntStream.range(0, total)
                .mapToObj(i -> EnrichedTopic.enriched(Map.of("app", apps[i % apps.length], "namespace", "homelab"), now + i,
                        "crash-test line " + i + " " + "z".repeat(80)))
                .toList();
        topic.sendEnriched(records);
        System.out.println("produced at " + java.time.Instant.now());

        try (LokiTestServer loki = LokiTestServer.start()) {
            loki.slow(Duration.ofMillis(40)); // keeps a push in flight most of the time
            File log = Path.of("target", "forked-sink.log").toFile();
            Process forked = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), ForkedSink.class.getName(),
                    KAFKA.bootstrapServers(), loki.url(), topic.name(), dlq, group)
                    .redirectErrorStream(true).redirectOutput(log).start();
            try {
                await().atMost(Duration.ofSeconds(120)).until(() -> loki.count() >= 4000 || !forked.isAlive());
                assertThat(forked.isAlive()).as("the forked sink runs (log: %s)", log).isTrue();
            } finally {
                forked.destroyForcibly().waitFor();
            }
            int storedBeforeRestart = loki.count();
            System.out.println("killed at " + java.time.Instant.now());
            assertThat(storedBeforeRestart).isLessThan(total);

            loki.healthy();
            try (LokiSink restarted = new LokiSink(ForkedSink.config(KAFKA.bootstrapServers(), loki.url(), topic.name(), dlq, group),
                    new SimpleMeterRegistry())) {
                restarted.start();
                await().atMost(Duration.ofSeconds(120)).until(() -> loki.count() == total);
                await().atMost(Duration.ofSeconds(60)).until(() -> topic.committed(group).equals(topic.endOffsets()));
            }
            assertThat(loki.entries()).extracting(StoredEntry::line).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(records.stream().map(EnrichedRecord::line).toList());
            System.out.printf("crash test: %d stored before the kill, %d entries pushed again and dropped by the dedupe rule%n",
                    storedBeforeRestart, loki.duplicatesDropped());
        }
    }
}

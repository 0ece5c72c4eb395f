package io.logpipe.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.testkit.KafkaBrokerExtension;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The at-least-once promise under the worst stop: kill -9 of the collector's JVM while it
 * ships 200 000 lines that are still being written (with a kubelet rotation half-way), then a
 * restart. Every line must be in Kafka,
 * each copy (duplicates are allowed) with the line's own CRI timestamp.
 */
class CrashRecoveryTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final int LINES = 200_000;
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void killMinusNineLosesNothingAndChangesNoTimestamp() throws Exception {
        String topic = KAFKA.newTopic("raw", 3);
        Path dir = Files.createDirectories(tmp.resolve("pods/homelab_load_0b5e6a7c-1111/app"));
        Path log = dir.resolve("0.log");
        writeLines(log, 0, 40_000);
        // the application goes on writing while the collector is killed and restarted, and the
        // kubelet rotates the file half-way: rename to 0.log.<date>, a new 0.log
        Thread writer = new Thread(() -> {
            try {
                for (int from = 40_000; from < LINES; from += 5_000) {
                    if (from == LINES / 2) {
                        Files.move(log, dir.resolve("0.log.20261125-080000"));
                    }
                    writeLines(log, from, from + 5_000);
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "application");
        Path config = tmp.resolve("collector.yaml");
        Files.writeString(config, """
                %s
                checkpoint_interval: 200ms
                sources:
                  pods:
                    - paths: ["%s/*/*/*.log"]
                      kubernetes_metadata: false
                      poll_interval: 50ms
                """.formatted(CollectorUnderTest.configHeader("asuna", KAFKA.bootstrapServers(), topic, tmp.resolve("state")), tmp.resolve("pods")));

        Map<Integer, Set<Long>> seen = new HashMap<>();
        int[] copies = {0};
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(topic)) {
            Process first = fork(config, tmp.resolve("first.log"));
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (seen.size() < 10_000 && System.nanoTime() < deadline) {
                    poll(consumer, seen, copies);
                }
                writer.start(); // the collector is running and has checkpoints: now the file grows and rotates
                while (seen.size() < LINES / 4 && System.nanoTime() < deadline) {
                    poll(consumer, seen, copies);
                }
                assertThat(seen.size()).as("lines shipped before the kill").isGreaterThanOrEqualTo(LINES / 4);
            } finally {
                first.destroyForcibly().waitFor();
            }
            Process second = fork(config, tmp.resolve("second.log"));
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                while (seen.size() < LINES && System.nanoTime() < deadline) {
                    poll(consumer, seen, copies);
                }
            } finally {
                second.destroy();
                second.waitFor();
            }
            writer.join();
        }
        Set<Integer> missing = new TreeSet<>();
        for (int i = 0; i < LINES; i++) {
            if (!seen.containsKey(i)) {
                missing.add(i);
            }
        }
        assertThat(missing).as("lines missing after kill -9 and restart").isEmpty();
        List<Integer> changed = new ArrayList<>();
        seen.forEach((n, timestamps) -> {
            if (!timestamps.equals(Set.of(nanos(n)))) {
                changed.add(n);
            }
        });
        assertThat(changed).as("lines whose copies carry another timestamp").isEmpty();
        assertThat(copies[0]).isGreaterThanOrEqualTo(LINES);
    }

    private static void poll(KafkaConsumer<byte[], byte[]> consumer, Map<Integer, Set<Long>> seen, int[] copies) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            RawRecord record = RecordCodec.decodeRaw(r.value());
            int n = Integer.parseInt(record.line().substring(5, 11));
            seen.computeIfAbsent(n, k -> new TreeSet<>()).add(record.timestampNanos());
            copies[0]++;
        }
    }

    private static long nanos(int n) {
        Instant t = T0.plusNanos(n * 1_000_123L);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static void writeLines(Path file, int from, int to) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            for (int n = from; n < to; n++) {
                out.write(T0.plusNanos(n * 1_000_123L) + " stdout F line-" + String.format("%06d", n)
                        + " GET /api/v1/workflows status=200 duration_ms=12\n");
            }
        }
    }

    private static Process fork(Path config, Path output) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ForkedCollectorMain.class.getName(), config.toString());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }
}

package io.logpipe.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logpipe.kafka.TopicNames;
import io.logpipe.kafka.TopicSpec;
import io.logpipe.kafka.embedded.EmbeddedKafkaBroker;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka goes away in the middle of a run and comes back: the collector stops reading once
 * {@code max_in_flight} bytes wait for acknowledgement (memory bounded, the file is the buffer),
 * and after the broker's return every line arrives.
 */
class KafkaOutageTest {
    private static final int BEFORE = 20_000;
    private static final int DURING = 30_000;
    private static final long MAX_IN_FLIGHT = 256 * 1024;

    @TempDir
    Path tmp;

    @Test
    void brokerStoppedMidRunLosesNothingAndKeepsMemoryBounded() throws Exception {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(tmp.resolve("kafka"), "localhost", 0, 3).start();
        try {
            broker.createTopics(TopicSpec.pipeline(TopicNames.DEFAULTS, 3));
            Path log = tmp.resolve("logs/app.log");
            Files.createDirectories(log.getParent());
            write(log, 0, BEFORE);
            String yaml = """
                    host: pesubuntu
                    kafka: {bootstrap_servers: %s}
                    metrics: {enabled: false}
                    checkpoint_dir: %s
                    producer: {max_in_flight: %d, batch_size: 64KiB}
                    sources:
                      files:
                        - name: app
                          paths: ["%s"]
                          labels: {job: app}
                          timestamp: {format: rfc3339}
                          poll_interval: 50ms
                    """.formatted(broker.bootstrapServers(), tmp.resolve("state"), MAX_IN_FLIGHT, log);
            try (CollectorUnderTest collector = new CollectorUnderTest(yaml)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> sent(collector) >= BEFORE);

                broker.stop();
                write(log, BEFORE, BEFORE + DURING);
                // reading stops: the lines read stay put while the in-flight budget is spent
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                        .until(new Stalled(() -> collector.linesRead("app")));
                assertThat(collector.linesRead("app")).isLessThan(BEFORE + DURING);
                assertThat(collector.collector.inFlightBytes()).isPositive().isLessThanOrEqualTo(MAX_IN_FLIGHT);

                broker.start();
                await().atMost(Duration.ofSeconds(120)).until(() -> sent(collector) >= BEFORE + DURING);
                assertThat(collector.collector.inFlightBytes()).isLessThanOrEqualTo(MAX_IN_FLIGHT);
            }
            Set<Integer> lines = readLineNumbers(broker.bootstrapServers(), BEFORE + DURING);
            Set<Integer> missing = new java.util.TreeSet<>();
            for (int n = 0; n < BEFORE + DURING; n++) {
                if (!lines.contains(n)) {
                    missing.add(n);
                }
            }
            assertThat(missing).as("lines lost over the Kafka outage").isEmpty();
        } finally {
            broker.close();
        }
    }

    private static double sent(CollectorUnderTest collector) {
        return collector.counter("logpipe.collector.records.sent");
    }

    private static void write(Path log, int from, int to) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            Instant t0 = Instant.parse("2026-11-25T09:00:00Z");
            for (int n = from; n < to; n++) {
                out.write(t0.plusMillis(n) + " level=info msg=\"request handled\" n=" + n + " path=/api/generate\n");
            }
        }
    }

    private static Set<Integer> readLineNumbers(String bootstrap, int expected) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Set<Integer> lines = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("logs.raw", Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition("logs.raw", p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (lines.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    RawRecord record = RecordCodec.decodeRaw(r.value());
                    String line = record.line();
                    lines.add(Integer.parseInt(line.substring(line.indexOf(" n=") + 3, line.indexOf(" path="))));
                });
            }
        }
        return lines;
    }
}

package io.logpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logpipe.config.ConfigLoader;
import io.logpipe.observability.MetricsEndpoint;
import io.logpipe.processor.MixedRecords.Generated;
import io.logpipe.processor.deadletter.DeadLetterHandler;
import io.logpipe.processor.errorrate.ErrorRateWindow;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The processor against a real broker: counts, error-rate windows, /metrics, and exactly-once across a crash. */
class StreamProcessorBrokerTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path dir;

    private Path writeConfig(String name, String applicationId, String raw, String enriched, String dlq, String errorRates,
                             String grace) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, String.join("\n",
                "application_id: " + applicationId,
                "kafka: {bootstrap_servers: \"" + KAFKA.bootstrapServers() + "\"}",
                "topics: {raw: " + raw + ", enriched: " + enriched + ", dlq: " + dlq + ", error_rates: " + errorRates + "}",
                "metrics: {port: 0}",
                "state_dir: " + dir.resolve(name + "-state"),
                "commit_interval: 100ms",
                "error_rates: {window: 1m, grace: " + grace + "}",
                "streams_properties: {transaction.timeout.ms: \"10000\"}",
                ""));
        return file;
    }

    private static ProcessorConfig load(Path file) {
        return new ConfigLoader().load(file, ProcessorConfig.class);
    }

    @Test
    void hundredThousandMixedRecordsAreEnrichedOrDeadLetteredAndCountedInWindows() throws Exception {
        // 5 ms of event time a record: 100 000 records span 8 min 20 s; a grace longer than that
        // means no line is late however the three input partitions interleave
        List<Generated> generated = new MixedRecords(START, Duration.ofMillis(5)).generate("logs.raw", 100_000);
        List<Generated> closers = windowClosers("logs.raw", START.plus(Duration.ofHours(1)));
        ProcessorConfig config = load(writeConfig("mixed", "processor-mixed", "logs.raw", "logs.enriched", "logs.dlq",
                "logs.error-rates", "10m"));

        try (MetricsEndpoint endpoint = new MetricsEndpoint();
             StreamProcessor processor = new StreamProcessor(config, endpoint.registry())) {
            int port = endpoint.start(config.metrics());
            processor.start();
            KAFKA.send("logs.raw", generated.stream().map(Generated::input).toList());

            long bad = generated.stream().filter(Generated::bad).count();
            long good = generated.size() - bad;
            List<ConsumerRecord<byte[], byte[]>> enriched = KAFKA.readAll("logs.enriched", (int) good, Duration.ofSeconds(180));
            List<ConsumerRecord<byte[], byte[]>> dead = KAFKA.readAll("logs.dlq", (int) bad, Duration.ofSeconds(60));
            assertThat(enriched).hasSize((int) good);
            assertThat(dead).hasSize((int) bad);
            assertThat(enriched.size() + dead.size()).isEqualTo(generated.size());
            assertThat(dead).allSatisfy(record -> assertThat(record.headers().lastHeader(DeadLetterHandler.HEADER_REASON)).isNotNull());
            assertThat(enriched.stream().map(r -> MixedRecords.idOf(RecordCodec.decodeEnriched(r.value()).line())).distinct().count())
                    .isEqualTo(good);

            // only now move event time an hour on in every repartition partition, so that every
            // window closes after all of its lines were counted
            KAFKA.send("logs.raw", closers.stream().map(Generated::input).toList());
            assertWindowsPublishedOnceAsCountedByHand("logs.error-rates", generated);

            String metrics = get(port, "/metrics");
            long n8nErrors = generated.stream().filter(g -> !g.bad() && g.error() && g.group().contains("\"n8n\"")).count();
            assertThat(metrics).contains("logpipe_processor_lines_total{app=\"n8n\",host=\"\",job=\"\",level=\"error\","
                    + "namespace=\"homelab\",pod=\"\",unit=\"\"} " + n8nErrors + ".0");
            long ollamaLast = generated.stream().filter(g -> !g.bad() && g.group().contains("ollama.service"))
                    .mapToLong(Generated::timestampMillis).max().orElseThrow();
            assertThat(metrics).contains("logpipe_processor_last_line_timestamp_seconds{app=\"\",host=\"pesubuntu\","
                    + "job=\"systemd-journal\",namespace=\"\",pod=\"\",unit=\"ollama.service\"} " + (ollamaLast / 1000.0));
            assertThat(metrics).contains("logpipe_processor_dead_letters_total{reason=\"unsupported_version\"}");
            assertThat(metrics).contains("logpipe_processor_pattern_lines_total{pattern=\"disk_space\"}");
            assertThat(metrics).contains("logpipe_processor_window_error_lines{");
            assertThat(metrics).as("Kafka Streams' own metrics").contains("kafka_stream_thread_");
        }
    }

    @Test
    void aCrashMidStreamLosesAndDoublesNothingInTheRecordsOrTheirCounts() throws Exception {
        String raw = KAFKA.newTopic("raw", 3);
        String enriched = KAFKA.newTopic("enriched", 3);
        String dlq = KAFKA.newTopic("dlq", 1);
        String rates = KAFKA.newTopic("rates", 3);
        List<Generated> generated = new MixedRecords(START, Duration.ofMillis(5)).generate(raw, 20_000).stream()
                .filter(g -> !g.bad()).toList();
        KAFKA.send(raw, generated.stream().map(Generated::input).toList());

        Path firstConfig = writeConfig("crash-first", "processor-crash", raw, enriched, dlq, rates, "2m");
        Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"), ProcessorProcess.class.getName(), firstConfig.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> uncommittedCount(enriched) >= generated.size() / 4);
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        long seenBeforeCrash = uncommittedCount(enriched);
        assertThat(seenBeforeCrash).as("the crash came mid-stream").isLessThan(generated.size());

        ProcessorConfig second = load(writeConfig("crash-second", "processor-crash", raw, enriched, dlq, rates, "2m"));
        try (StreamProcessor processor = new StreamProcessor(second, new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            processor.start();
            List<ConsumerRecord<byte[], byte[]>> out = KAFKA.readAll(enriched, generated.size(), Duration.ofSeconds(180));
            Map<String, Long> copies = out.stream().collect(Collectors.groupingBy(
                    r -> MixedRecords.idOf(RecordCodec.decodeEnriched(r.value()).line()), Collectors.counting()));
            assertThat(out).hasSize(generated.size());
            assertThat(copies).hasSize(generated.size());
            assertThat(copies.values()).containsOnly(1L);
            assertThat(processor.state()).isIn(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);

            // the error-rate windows too: each line counted once, whether its count was still
            // pending, stored or forwarded when the first process died
            KAFKA.send(raw, windowClosers(raw, START.plus(Duration.ofHours(1))).stream().map(Generated::input).toList());
            assertWindowsPublishedOnceAsCountedByHand(rates, generated);
        }
    }

    @Test
    void aBadRecordWithNothingAfterItIsStillDeadLettered() throws Exception {
        String raw = KAFKA.newTopic("raw", 1);
        String dlq = KAFKA.newTopic("dlq", 1);
        ProcessorConfig config = load(writeConfig("lone", "processor-lone", raw, KAFKA.newTopic("enriched", 1), dlq,
                KAFKA.newTopic("rates", 1), "2m"));
        try (StreamProcessor processor = new StreamProcessor(config, new io.micrometer.core.instrument.simple.SimpleMeterRegistry())) {
            processor.start();
            KAFKA.send(raw, List.of(new ProducerRecord<>(raw, "k".getBytes(StandardCharsets.UTF_8),
                    "not a record".getBytes(StandardCharsets.UTF_8))));
            List<ConsumerRecord<byte[], byte[]>> dead = KAFKA.readAll(dlq, 1, Duration.ofSeconds(60));
            assertThat(dead).hasSize(1);
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not a record");
        }
    }

    /** Records of made-up hosts whose rate groups land on every repartition partition, far ahead in event time. */
    private static List<Generated> windowClosers(String topic, Instant at) {
        List<Generated> out = new ArrayList<>();
        Set<Integer> partitions = new HashSet<>();
        for (int n = 0; partitions.size() < 3; n++) {
            String host = "closer-" + n;
            String group = "{host=\"" + host + "\", job=\"closer\"}";
            if (partitions.add(Utils.toPositive(Utils.murmur2(group.getBytes(StandardCharsets.UTF_8))) % 3)) {
                RawRecord record = RawRecords.file("/closer", Map.of("job", "closer", "host", host), "closer #" + (1_000_000 + n), at);
                out.add(new Generated(new ProducerRecord<>(topic, null, at.toEpochMilli(), record.source().getBytes(StandardCharsets.UTF_8),
                        RecordCodec.encode(record)), group, false, false, at.toEpochMilli(), "#" + (1_000_000 + n)));
            }
        }
        return out;
    }

    /** Every window of the generated lines' half hour is published to {@code topic} once, with the counts made by hand. */
    private static void assertWindowsPublishedOnceAsCountedByHand(String topic, List<Generated> generated) {
        Map<String, long[]> expected = countWindowsByHand(generated);
        Map<String, long[]> published = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : KAFKA.readAll(topic, expected.size(), Duration.ofSeconds(120))) {
            ErrorRateWindow window = ErrorRateWindow.fromJson(record.value());
            if (window.start().isBefore(START.plus(Duration.ofMinutes(30)))) {
                long[] previous = published.put(new String(record.key(), StandardCharsets.UTF_8) + " " + window.windowStart(),
                        new long[] {window.lines(), window.errors()});
                assertThat(previous).as("each window is published once").isNull();
            }
        }
        assertThat(render(published)).isEqualTo(render(expected));
    }

    /** Lines and error lines per (group, minute), from what the generator says each line is. */
    private static Map<String, long[]> countWindowsByHand(List<Generated> generated) {
        Map<String, long[]> counts = new TreeMap<>();
        for (Generated g : generated) {
            if (g.bad()) {
                continue;
            }
            Instant minute = Instant.ofEpochMilli(g.timestampMillis() - g.timestampMillis() % 60_000);
            long[] c = counts.computeIfAbsent(g.group() + " " + minute, k -> new long[2]);
            c[0]++;
            if (g.error()) {
                c[1]++;
            }
        }
        return counts;
    }

    private static Map<String, String> render(Map<String, long[]> counts) {
        Map<String, String> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v[0] + " lines, " + v[1] + " errors"));
        return out;
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** Records in a topic including those of open or aborted transactions: progress of a processor. */
    private static long uncommittedCount(String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}

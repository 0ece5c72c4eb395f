package io.logpipe.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logpipe.config.ByteSize;
import io.logpipe.kafka.KafkaClientConfig;
import io.logpipe.kafka.TopicNames;
import io.logpipe.observability.MetricsConfig;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.sink.batch.BatchLimits;
import io.logpipe.sink.push.Backoff;
import io.logpipe.sink.push.LokiConfig;
import io.logpipe.testkit.KafkaBrokerExtension;
import io.logpipe.testkit.loki.LokiTestServer;
import io.logpipe.testkit.loki.StoredEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LokiSinkTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Map<String, String> N8N = Map.of("app", "n8n", "namespace", "homelab", "level", "info");
    private static final String N8N_STREAM = "{app=\"n8n\", level=\"info\", namespace=\"homelab\"}";
    private static final long NOW = System.currentTimeMillis() * 1_000_000L;

    private final LokiTestServer loki = LokiTestServer.start();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final String group = "sink-test-" + UUID.randomUUID();
    private final List<LokiSink> sinks = new ArrayList<>();

    @AfterEach
    void stop() {
        sinks.forEach(LokiSink::close);
        loki.close();
    }

    private LokiSink start(EnrichedTopic topic, String dlq, BatchLimits batch, ByteSize maxLine) {
        SinkConfig config = new SinkConfig(KafkaClientConfig.local(KAFKA.bootstrapServers()),
                new TopicNames(null, topic.name(), dlq, null), new MetricsConfig(null, 0, false), group,
                LokiConfig.at(loki.url()), batch, new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)), maxLine, null, null);
        LokiSink sink = new LokiSink(config, registry);
        sinks.add(sink);
        sink.start();
        return sink;
    }

    private static List<EnrichedRecord> lines(int n, String prefix, int width) {
        return IntStream.range(0, n).mapToObj(i -> {
            String text = prefix + i + " ";
            return EnrichedTopic.enriched(N8N, NOW + i, text + "x".repeat(Math.max(0, width - text.length())));
        }).toList();
    }

    private double counter(String name, String tag, String value) {
        Counter counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void batchesCloseWhenTheyReachMaxBytes() {
        EnrichedTopic topic = new EnrichedTopic(KAFKA, 1);
        topic.sendEnriched(lines(200, "sized-", 1000));
        start(topic, KAFKA.newTopic("dlq", 1), new BatchLimits(ByteSize.parse("16KiB"), Duration.ofSeconds(2)), null);

        await().atMost(PATIENCE).until(() -> loki.count() == 200);
        List<Integer> sizes = loki.pushes().stream().map(LokiTestServer.ReceivedPush::entries).toList();
        // 1000 characters + 24 bytes of overhead an entry: 16 entries fill 16 KiB exactly
        assertThat(sizes).allMatch(n -> n <= 16);
        assertThat(sizes.stream().filter(n -> n == 16).count()).isGreaterThanOrEqualTo(12);
        assertThat(loki.entries(N8N_STREAM)).extracting(StoredEntry::timestampNanos)
                .as("one stream keeps its order").isSorted();
        await().atMost(PATIENCE).until(() -> topic.committed(group).equals(topic.endOffsets()));
    }

    @Test
    void aBatchThatNeverFillsUpIsPushedWhenItIsMaxWaitOld() {
        EnrichedTopic topic = new EnrichedTopic(KAFKA, 3);
        start(topic, KAFKA.newTopic("dlq", 1), new BatchLimits(ByteSize.parse("64MiB"), Duration.ofMillis(300)), null);

        topic.sendEnriched(lines(3, "aged-", 20));
        await().atMost(PATIENCE).until(() -> loki.count() == 3);
        topic.sendEnriched(lines(2, "later-", 20).stream()
                .map(r -> EnrichedTopic.enriched(r.labels(), r.timestampNanos() + 1000, r.line())).toList());
        await().atMost(PATIENCE).until(() -> loki.count() == 5);
        assertThat(loki.pushes()).hasSizeGreaterThanOrEqualTo(2).allMatch(p -> p.status() == 204);
        await().atMost(PATIENCE).until(() -> topic.committed(group).equals(topic.endOffsets()));
    }

    @Test
    void aLineOverMaxLineSizeIsTruncatedWithTheMarkerAndStored() {
        EnrichedTopic topic = new EnrichedTopic(KAFKA, 1);
        start(topic, KAFKA.newTopic("dlq", 1), new BatchLimits(null, Duration.ofMillis(200)), null);
        String huge = "é".repeat(200_000); // 400 000 UTF-8 bytes
        topic.sendEnriched(List.of(EnrichedTopic.enriched(N8N, NOW, huge)));

        await().atMost(PATIENCE).until(() -> loki.count() == 1);
        String stored = loki.entries().get(0).line();
        assertThat(stored).endsWith(" …[truncated by logpipe]").startsWith("éééé");
        assertThat(stored.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(256 * 1024);
        assertThat(registry.get("logpipe.sink.lines.truncated").counter().count()).isEqualTo(1);
    }

    @Test
    void theLabelsDecideTheStreamWhateverTheKafkaKeySays() {
        EnrichedTopic topic = new EnrichedTopic(KAFKA, 1);
        String value = "{\"v\":1,\"ts\":" + NOW + ",\"labels\":{\"app\":\"n8n\",\"level\":\"info\",\"namespace\":\"homelab\"},"
                + "\"line\":\"keyed wrongly\"}";
        topic.send(List.of(topic.raw("{app=\"other\"}", value), topic.raw("{app=\"n8n\"}", value.replace("wrongly", "again"))));

        start(topic, KAFKA.newTopic("dlq", 1), new BatchLimits(null, Duration.ofMillis(100)), ByteSize.parse("256KiB"));

        await().atMost(PATIENCE).until(() -> loki.count() == 2);
        assertThat(loki.entries()).extracting(StoredEntry::stream).containsOnly(N8N_STREAM);
    }

    @Test
    void refusedRecordsGoToTheDlqWithTheirReasonAndTheirOffsetsAreCommitted() {
        loki.limits(LokiTestServer.Limits.LOKI_DEFAULTS.withMaxLineSize(2000));
        EnrichedTopic topic = new EnrichedTopic(KAFKA, 3);
        String dlq = KAFKA.newTopic("dlq", 1);
        Map<String, String> thirtyOne = new HashMap<>();
        IntStream.range(0, 31).forEach(i -> thirtyOne.put("label_" + i, "v"));
        List<org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        lines(5, "valid-before-", 30).forEach(r -> records.add(topic.record(r)));
        records.add(topic.record(EnrichedTopic.enriched(Map.of("foo-bar", "x"), NOW, "bad name")));
        // written by hand: the codec leaves an empty map out, and a record without labels is malformed
        records.add(topic.raw("{}", "{\"v\":1,\"ts\":" + NOW + ",\"labels\":{},\"line\":\"no labels\"}"));
        records.add(topic.record(EnrichedTopic.enriched(thirtyOne, NOW, "31 labels")));
        records.add(topic.record(EnrichedTopic.enriched(Map.of("app", "v".repeat(2049)), NOW, "long value")));
        records.add(topic.record(EnrichedTopic.enriched(N8N, NOW - Duration.ofDays(8).toNanos(), "too old")));
        records.add(topic.record(EnrichedTopic.enriched(N8N, NOW + Duration.ofHours(2).toNanos(), "too new")));
        records.add(topic.record(EnrichedTopic.enriched(N8N, NOW + 100, "long line " + "y".repeat(3000))));
        records.add(topic.raw("{app=\"n8n\"}", "this is not a logpipe record"));
        lines(5, "valid-after-", 30).forEach(r -> records.add(topic.record(
                EnrichedTopic.enriched(r.labels(), r.timestampNanos() + 1000, r.line()))));
        topic.send(records);

        start(topic, dlq, new BatchLimits(null, Duration.ofMillis(200)), ByteSize.parse("64KiB"));

        List<ConsumerRecord<byte[], byte[]>> letters = KAFKA.readAll(dlq, 8, PATIENCE);
        Map<String, String> reasonByLine = letters.stream().collect(Collectors.toMap(
                l -> lineOf(l.value()), l -> header(l, "logpipe.reason")));
        assertThat(reasonByLine).containsOnlyKeys("bad name", "no labels", "31 labels", "long value", "too old", "too new",
                "long line " + "y".repeat(3000), "this is not a logpipe record");
        assertThat(reasonByLine.get("bad name")).isEqualTo("1:5: parse error: unexpected character inside braces: '-'");
        assertThat(reasonByLine.get("no labels")).isEqualTo("error at least one label pair is required per stream");
        assertThat(reasonByLine.get("31 labels")).endsWith("has 31 label names; limit 30");
        assertThat(reasonByLine.get("long value")).startsWith("stream '{app=\"vvv").contains("has label value too long");
        assertThat(reasonByLine.get("too old")).startsWith("entry for stream '" + N8N_STREAM + "' has timestamp too old: ");
        assertThat(reasonByLine.get("too new")).startsWith("entry for stream '" + N8N_STREAM + "' has timestamp too new: ");
        assertThat(reasonByLine.get("long line " + "y".repeat(3000)))
                .startsWith("Max entry size '2000' bytes exceeded for stream '" + N8N_STREAM + "'");
        assertThat(reasonByLine.get("this is not a logpipe record")).startsWith("not a logpipe record");
        assertThat(letters).allSatisfy(l -> {
            assertThat(header(l, "logpipe.stage")).isEqualTo("loki-sink");
            assertThat(header(l, "logpipe.source.topic")).isEqualTo(topic.name());
            assertThat(header(l, "logpipe.source.offset")).isNotBlank();
        });

        await().atMost(PATIENCE).until(() -> loki.count() == 10);
        assertThat(loki.entries()).extracting(StoredEntry::line).allMatch(line -> line.startsWith("valid-"));
        await().atMost(PATIENCE).until(() -> topic.committed(group).equals(topic.endOffsets()));
        assertThat(counter("logpipe.sink.dlq.records", "reason", "invalid_labels")).isEqualTo(1);
        assertThat(counter("logpipe.sink.dlq.records", "reason", "missing_labels")).isEqualTo(1);
        assertThat(counter("logpipe.sink.dlq.records", "reason", "max_label_names_per_series")).isEqualTo(1);
        assertThat(counter("logpipe.sink.dlq.records", "reason", "label_value_too_long")).isEqualTo(1);
        assertThat(counter("logpipe.sink.dlq.records", "reason", "greater_than_max_sample_age")).isEqualTo(1);
        assertThat(counter("logpipe.sink.dlq.records", "reason", "too_far_in_future")).isEqualTo(1);
        assertThat(counter("logpipe.sink.dlq.records", "reason", "line_too_long")).isEqualTo(1);
        assertThat(counter("logpipe.sink.dlq.records", "reason", "malformed_record")).isEqualTo(1);
    }

    @Test
    void while500And429AndRefusedConnectionsNothingIsCommittedThenEverythingIsDelivered() {
        EnrichedTopic topic = new EnrichedTopic(KAFKA, 3);
        loki.failWith(500);
        topic.sendEnriched(lines(50, "retried-", 40));
        start(topic, KAFKA.newTopic("dlq", 1), new BatchLimits(null, Duration.ofMillis(100)), null);

        await().atMost(PATIENCE).until(() -> loki.pushes().stream().filter(p -> p.status() == 500).count() >= 3);
        assertThat(topic.committed(group)).isEmpty();
        loki.throttle(Duration.ofSeconds(1));
        await().atMost(PATIENCE).until(() -> loki.pushes().stream().filter(p -> p.status() == 429).count() >= 2);
        assertThat(topic.committed(group)).isEmpty();
        loki.refuseConnections();
        await().atMost(PATIENCE).until(() -> counter("logpipe.sink.push.retries", "cause", "unreachable") >= 3);
        assertThat(registry.get("logpipe.sink.loki.up").gauge().value()).isZero();
        assertThat(topic.committed(group)).isEmpty();
        assertThat(loki.count()).isZero();

        loki.healthy();
        await().atMost(PATIENCE).until(() -> loki.count() == 50);
        await().atMost(PATIENCE).until(() -> topic.committed(group).equals(topic.endOffsets()));
        assertThat(loki.duplicatesDropped()).isZero();
        assertThat(registry.get("logpipe.sink.loki.up").gauge().value()).isEqualTo(1);
        assertThat(counter("logpipe.sink.push.retries", "cause", "500")).isGreaterThanOrEqualTo(3);
        assertThat(counter("logpipe.sink.push.retries", "cause", "429")).isGreaterThanOrEqualTo(2);
        assertThat(registry.get("logpipe.sink.pushed.lines").counter().count()).isEqualTo(50);
    }

    @Test
    void aLokiOutageMidRunLosesNothingAndStoresNothingTwice() throws Exception {
        EnrichedTopic topic = new EnrichedTopic(KAFKA, 3);
        start(topic, KAFKA.newTopic("dlq", 1), new BatchLimits(ByteSize.parse("8KiB"), Duration.ofMillis(100)), null);
        int total = 3000;
        List<EnrichedRecord> all = new ArrayList<>();
        String[] apps = {"n8n", "qdrant", "redis"};
        for (int i = 0; i < total; i++) {
            all.add(EnrichedTopic.enriched(Map.of("app", apps[i % 3], "namespace", "homelab"), NOW + i, "outage-" + i));
        }
        AtomicBoolean outageSeen = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            for (int chunk = 0; chunk < 30; chunk++) {
                topic.sendEnriched(all.subList(chunk * 100, chunk * 100 + 100));
                if (chunk == 10) {
                    await().atMost(PATIENCE).until(outageSeen::get); // the rest is written while Loki is away
                }
            }
        });
        producer.start();
        await().atMost(PATIENCE).until(() -> loki.count() >= 500);
        loki.refuseConnections();
        await().atMost(PATIENCE).until(() -> counter("logpipe.sink.push.retries", "cause", "unreachable") >= 2);
        outageSeen.set(true);
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(registry.get("logpipe.sink.records.waiting").gauge().value()).isPositive());
        int storedDuringOutage = loki.count();
        producer.join(PATIENCE.toMillis());
        assertThat(loki.count()).isEqualTo(storedDuringOutage);

        loki.healthy();
        await().atMost(PATIENCE).until(() -> loki.count() == total);
        assertThat(loki.entries()).extracting(StoredEntry::line).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(all.stream().map(EnrichedRecord::line).toList());
        assertThat(loki.duplicatesDropped()).as("no entry was pushed twice").isZero();
        await().atMost(PATIENCE).until(() -> topic.committed(group).equals(topic.endOffsets()));
        await().atMost(PATIENCE).until(() -> registry.get("logpipe.sink.records.waiting").gauge().value() == 0);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String lineOf(byte[] value) {
        try {
            return io.logpipe.record.RecordCodec.decodeEnriched(value).line();
        } catch (io.logpipe.record.RecordFormatException notARecord) {
            return new String(value, StandardCharsets.UTF_8);
        }
    }
}

package io.logpipe.sink.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.labels.LabelSet;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.sink.EnrichedTopic;
import io.logpipe.sink.admission.LabelLimits;
import io.logpipe.sink.admission.LineLimit;
import io.logpipe.sink.admission.StreamCheck;
import io.logpipe.sink.batch.BatchLimits;
import io.logpipe.sink.push.Backoff;
import io.logpipe.sink.push.LokiConfig;
import io.logpipe.sink.push.LokiPusher;
import io.logpipe.sink.push.PushMetrics;
import io.logpipe.testkit.KafkaBrokerExtension;
import io.logpipe.testkit.loki.LokiTestServer;
import io.logpipe.testkit.loki.StoredEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class TopicReplayTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    /** A minute a record: record i was written at T0 + i minutes. */
    private static final Instant T0 = Instant.now().minus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
    private static final String[] APPS = {"n8n", "redis"};
    private static EnrichedTopic topic;

    @BeforeAll
    static void writeTwoHoursOfRecords() {
        topic = new EnrichedTopic(KAFKA, 3);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Instant at = T0.plus(Duration.ofMinutes(i));
            EnrichedRecord record = EnrichedTopic.enriched(Map.of("app", APPS[i % 2], "namespace", "homelab"),
                    at.toEpochMilli() * 1_000_000L, "minute " + i);
            records.add(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(),
                    LabelSet.of(record.labels()).canonical().getBytes(StandardCharsets.UTF_8), RecordCodec.encode(record)));
        }
        // a source that caught up late: a line of minute 45 written after every other record
        Instant late = T0.plus(Duration.ofMinutes(45)).plusSeconds(30);
        EnrichedRecord caughtUp = EnrichedTopic.enriched(Map.of("app", "n8n", "namespace", "homelab"),
                late.toEpochMilli() * 1_000_000L, "caught up late");
        records.add(new ProducerRecord<>(topic.name(), null, late.toEpochMilli(),
                LabelSet.of(caughtUp.labels()).canonical().getBytes(StandardCharsets.UTF_8), RecordCodec.encode(caughtUp)));
        topic.send(records);
    }

    private static Map<String, Object> consumer() {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    }

    private static Predicate<ConsumerRecord<byte[], byte[]>> app(String app) {
        return r -> app.equals(RecordCodec.decodeEnriched(r.value()).labels().get("app"));
    }

    private static Set<String> minutes(int fromInclusive, int toExclusive, int parity) {
        Set<String> out = new java.util.HashSet<>();
        for (int i = fromInclusive; i < toExclusive; i++) {
            if (i % 2 == parity) {
                out.add("minute " + i);
            }
        }
        return out;
    }

    @Test
    void theTimeRangeAndTheSelectorChooseTheRecordsWrittenToAStream() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<TopicReplay.Progress> reports = new ArrayList<>();
        TopicReplay replay = new TopicReplay(consumer(), topic.name(), T0.plus(Duration.ofMinutes(30)),
                T0.plus(Duration.ofMinutes(60)), app("n8n"));

        TopicReplay.Progress done = replay.run(new JsonLinesDestination(out, false), (p, finished) -> reports.add(p));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        Set<String> expected = minutes(30, 60, 0);
        expected.add("caught up late");
        assertThat(lines).hasSize(16);
        assertThat(lines.stream().map(l -> RecordCodec.decodeEnriched(l.getBytes(StandardCharsets.UTF_8)).line())
                .collect(Collectors.toSet())).isEqualTo(expected);
        // read on for an hour past --to by default (minutes 30 to 119 and the late line)
        assertThat(done).isEqualTo(new TopicReplay.Progress(91, 16, 16, 91));
        assertThat(reports).last().isEqualTo(done);
    }

    @Test
    void toAFileAsJsonLinesWithoutTouchingAnyConsumerGroup(@TempDir Path dir) throws Exception {
        Set<String> groupsBefore = groups();
        Path file = dir.resolve("replay.jsonl");
        new TopicReplay(consumer(), topic.name(), T0.plus(Duration.ofMinutes(100)), Instant.now(), r -> true)
                .run(new JsonLinesDestination(Files.newOutputStream(file), true), (p, finished) -> { });

        assertThat(Files.readAllLines(file)).hasSize(20).allSatisfy(line ->
                assertThat(RecordCodec.decodeEnriched(line.getBytes(StandardCharsets.UTF_8)).line()).startsWith("minute 1"));
        assertThat(groups()).isEqualTo(groupsBefore);
    }

    @Test
    void toLokiWithTheSinksPusher() throws Exception {
        try (LokiTestServer loki = LokiTestServer.start()) {
            LokiPusher pusher = new LokiPusher(LokiConfig.at(loki.url()), Backoff.DEFAULT, new PushMetrics(new SimpleMeterRegistry()));
            List<String> problems = new ArrayList<>();
            LokiDestination destination = new LokiDestination(pusher, new StreamCheck(LabelLimits.LOKI_DEFAULTS),
                    new LineLimit(LineLimit.LOKI_DEFAULT_MAX_BYTES, null), BatchLimits.DEFAULTS, problems::add);

            TopicReplay.Progress done = new TopicReplay(consumer(), topic.name(), T0.plus(Duration.ofMinutes(10)),
                    T0.plus(Duration.ofMinutes(20)), app("redis")).run(destination, (p, finished) -> { });

            assertThat(done.sent()).isEqualTo(5);
            assertThat(problems).isEmpty();
            assertThat(loki.entries("{app=\"redis\", namespace=\"homelab\"}")).extracting(StoredEntry::line)
                    .containsExactlyInAnyOrderElementsOf(minutes(10, 20, 1));
            assertThat(loki.count()).isEqualTo(5);
        }
    }

    @Test
    void withoutLatenessReadingStopsAtTheEndOfTheRangeAndMissesALineWrittenLate() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TopicReplay.Progress done = new TopicReplay(consumer(), topic.name(), T0.plus(Duration.ofMinutes(30)),
                T0.plus(Duration.ofMinutes(60)), Duration.ZERO, app("n8n")).run(new JsonLinesDestination(out, false), (p, f) -> { });
        assertThat(done).isEqualTo(new TopicReplay.Progress(30, 15, 15, 30));
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("caught up late");
    }

    @Test
    void anEmptyRangeEndsAtOnce() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TopicReplay.Progress done = new TopicReplay(consumer(), topic.name(), Instant.now().plusSeconds(60),
                Instant.now().plusSeconds(120), r -> true).run(new JsonLinesDestination(out, false), (p, f) -> { });
        assertThat(done.total()).isZero();
        assertThat(out.size()).isZero();
    }

    private static Set<String> groups() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            return admin.listConsumerGroups().all().get().stream().map(ConsumerGroupListing::groupId).collect(Collectors.toSet());
        }
    }
}

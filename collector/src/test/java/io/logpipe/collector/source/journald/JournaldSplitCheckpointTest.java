package io.logpipe.collector.source.journald;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.collector.SourceContext;
import io.logpipe.collector.checkpoint.CheckpointStore;
import io.logpipe.collector.metrics.CollectorMetrics;
import io.logpipe.collector.publish.ProducerConfig;
import io.logpipe.collector.publish.RecordPublisher;
import io.logpipe.collector.tail.LongLines;
import io.logpipe.config.ByteSize;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.RecordFlag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkpoint of a journald source never passes an entry whose pieces are not all
 * acknowledged: a crash in between starts journalctl after the entry before, so the whole entry
 * is sent again. Kafka's MockProducer stands in for the broker, because only it lets the test
 * decide which records Kafka has acknowledged; JournaldSourceTest runs the pieces through a real one.
 */
class JournaldSplitCheckpointTest {
    private static final String KEY = "systemd|journal";

    @TempDir
    Path dir;

    private CheckpointStore checkpoints;
    private final MockProducer<byte[], byte[]> kafka = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());

    @Test
    void theCursorOfASplitEntryIsTheCheckpointOnlyOnceItsLastPieceIsAcknowledged() throws Exception {
        checkpoints = new CheckpointStore(dir, Clock.systemUTC());
        JournaldSource source = source();
        String big = "x".repeat(2500); // three pieces of at most 1 KiB
        JournalReader reader = new JournalReader(new ByteArrayInputStream((entry("a", "before") + entry("b", big) + entry("c", "after"))
                .getBytes(StandardCharsets.UTF_8)), 1024, LongLines.SPLIT, dir.resolve("journald.spill"));
        for (int i = 0; i < 3; i++) {
            try (JournalEntry entry = reader.next()) {
                source.ship(entry);
            }
        }
        List<RawRecord> sent = kafka.history().stream().map(r -> RecordCodec.decodeRaw(r.value())).toList();
        assertThat(sent).extracting(RawRecord::line).containsExactly("before", "x".repeat(1024), "x".repeat(1024), "x".repeat(452), "after");
        assertThat(sent.subList(1, 4)).allMatch(r -> r.has(RecordFlag.SPLIT));

        acknowledge(3); // "before" and the first two pieces of b
        assertThat(checkpoint()).isEqualTo("a");
        // a crash now: the saved checkpoint is a, so journalctl starts again --after-cursor=a and b comes again whole
        checkpoints.save();
        assertThat(new CheckpointStore(dir, Clock.systemUTC()).saved(KEY, JournalCursor.class)).contains(new JournalCursor("a"));
        assertThat(source.command("a", null)).contains("--after-cursor=a");

        acknowledge(1); // b's last piece
        assertThat(checkpoint()).isEqualTo("b");
        acknowledge(1);
        assertThat(checkpoint()).isEqualTo("c");
    }

    @Test
    void piecesOfTheFirstEntryEverReadDoNotSetACheckpointOfTheirOwn() throws Exception {
        checkpoints = new CheckpointStore(dir, Clock.systemUTC());
        JournaldSource source = source();
        JournalReader reader = new JournalReader(new ByteArrayInputStream(entry("a", "y".repeat(2000)).getBytes(StandardCharsets.UTF_8)),
                1024, LongLines.SPLIT, dir.resolve("journald.spill"));
        try (JournalEntry entry = reader.next()) {
            source.ship(entry);
        }
        acknowledge(1);
        assertThat(checkpoint()).isNull();
        acknowledge(1);
        assertThat(checkpoint()).isEqualTo("a");
    }

    /** A journald source over the mock Kafka, not started: the test hands it the entries. */
    private JournaldSource source() {
        RecordPublisher publisher = new RecordPublisher(kafka, new ProducerConfig(null, ByteSize.parse("1MiB"), null, null, null),
                "logs.raw", new CollectorMetrics(new SimpleMeterRegistry()));
        JournaldSourceConfig config = new JournaldSourceConfig("systemd", null, null, null, null, null, null, null,
                ByteSize.parse("1KiB"), null);
        return new JournaldSource(config, new SourceContext("pesubuntu", checkpoints, publisher,
                new CollectorMetrics(new SimpleMeterRegistry()), () -> null));
    }

    /** The source's acknowledged cursor, the one the next save writes. */
    private String checkpoint() {
        return checkpoints.saved(KEY, JournalCursor.class).map(JournalCursor::cursor).orElse(null);
    }

    /** Kafka acknowledges the next {@code n} records, on its own thread as it does. */
    private void acknowledge(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            CompletableFuture.runAsync(kafka::completeNext).get();
        }
    }

    private static String entry(String cursor, String message) {
        return "{\"MESSAGE\":\"" + message + "\",\"__CURSOR\":\"" + cursor + "\",\"__REALTIME_TIMESTAMP\":\"1700000000000000\","
                + "\"_SYSTEMD_UNIT\":\"ollama.service\"}\n";
    }
}

package io.logpipe.collector.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.collector.checkpoint.AckedProgress;
import io.logpipe.collector.checkpoint.CheckpointStore;
import io.logpipe.collector.metrics.CollectorMetrics;
import io.logpipe.config.ByteSize;
import io.logpipe.record.LineText;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.RecordFlag;
import io.logpipe.record.SourceKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record whose JSON is larger than {@code producer.max_record_size} goes as several records
 * that together hold every byte of its line, and its checkpoint moves only once Kafka has them all.
 * Kafka's MockProducer stands in for the broker so the test decides when each part is acknowledged.
 */
class RecordPublisherSplitTest {
    private static final int MAX_RECORD_SIZE = 1_000_000;
    private static final Map<String, String> ATTRIBUTES = Map.of("filename", "/var/log/app.log");
    private static final Map<String, String> LABELS = Map.of("job", "app");

    @TempDir
    Path dir;

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // room in flight for every part, so publish() returns before Kafka acknowledges any
    private final RecordPublisher publisher = new RecordPublisher(producer,
            new ProducerConfig(null, ByteSize.parse("16MiB"), ByteSize.parse("128KiB"), null, null), "logs.raw",
            new CollectorMetrics(registry));

    /** Kafka answers on its own I/O thread: a callback on the sending thread means a refusal inside send(). */
    private static void onKafkasThread(Runnable answer) throws Exception {
        CompletableFuture.runAsync(answer).get();
    }

    private static RawRecord record(LineText line, RecordFlag... flags) {
        return RawRecord.of(1_764_064_800_000_000_000L, SourceKind.FILE, "pesubuntu/var/log/app.log", line, ATTRIBUTES, LABELS,
                flags.length == 0 ? null : EnumSet.copyOf(Arrays.asList(flags)));
    }

    private List<RawRecord> sent() {
        return producer.history().stream().map(ProducerRecord::value).map(RecordCodec::decodeRaw).toList();
    }

    /** The line's original bytes, the parts' ones after the other: raw_bytes where the part has it, else its line. */
    private static byte[] joined(List<RawRecord> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (RawRecord part : parts) {
            out.writeBytes(new LineText(part.line(), part.rawBytes()).originalBytes());
        }
        return out.toByteArray();
    }

    @Test
    void aPieceOfInvalidBytesGoesInPartsThatFitAndItsCheckpointMovesWithTheLastPart() throws Exception {
        AckedProgress<Long> progress = new CheckpointStore(dir, Clock.systemUTC()).progress("app", 0L);
        byte[] invalid = new byte[256 * 1024];
        Arrays.fill(invalid, (byte) 0xff);
        RawRecord piece = record(LineText.decode(invalid), RecordFlag.SPLIT);
        assertThat(RecordCodec.encode(piece).length).isGreaterThan(MAX_RECORD_SIZE);

        publisher.publish("test", record(new LineText("before", null)), progress.issue(10L));
        publisher.publish("test", piece, progress.issue(10L + invalid.length));
        publisher.publish("test", record(new LineText("after", null)), progress.issue(20L + invalid.length));

        List<RawRecord> records = sent();
        List<RawRecord> parts = records.subList(1, records.size() - 1);
        assertThat(parts).hasSizeGreaterThan(1);
        assertThat(producer.history()).allSatisfy(sent -> assertThat(sent.value().length).isLessThanOrEqualTo(MAX_RECORD_SIZE));
        assertThat(parts).allSatisfy(part -> {
            assertThat(part.flags()).containsExactlyInAnyOrder(RecordFlag.SPLIT, RecordFlag.INVALID_UTF8);
            assertThat(part.rawBytes()).isNotNull();
            assertThat(part.line()).matches("\uFFFD+");
            assertThat(part.timestampNanos()).isEqualTo(piece.timestampNanos());
            assertThat(part.kind()).isEqualTo(piece.kind());
            assertThat(part.source()).isEqualTo(piece.source());
            assertThat(part.attributes()).isEqualTo(ATTRIBUTES);
            assertThat(part.labels()).isEqualTo(LABELS);
        });
        ByteArrayOutputStream rawBytes = new ByteArrayOutputStream();
        parts.forEach(part -> rawBytes.writeBytes(Base64.getDecoder().decode(part.rawBytes())));
        assertThat(rawBytes.size()).isEqualTo(invalid.length);
        assertThat(Arrays.equals(rawBytes.toByteArray(), invalid)).as("raw_bytes of the parts, joined, are the line's bytes").isTrue();
        assertThat(records.get(records.size() - 1).line()).isEqualTo("after");
        // counted under the source's configured name: the record's identity (a file path, a pod's uid) is no metric label
        assertThat(registry.find("logpipe.collector.bad.input").tag("reason", "record_too_large").counters())
                .singleElement().satisfies(counter -> {
                    assertThat(counter.getId().getTag("source")).isEqualTo("test");
                    assertThat(counter.count()).isEqualTo(1);
                });

        onKafkasThread(producer::completeNext);
        assertThat(progress.acknowledged()).isEqualTo(10L);
        for (int i = 0; i < parts.size() - 1; i++) {
            onKafkasThread(producer::completeNext);
            assertThat(progress.acknowledged()).as("after part %d of %d", i + 1, parts.size()).isEqualTo(10L);
        }
        onKafkasThread(producer::completeNext);
        assertThat(progress.acknowledged()).isEqualTo(10L + invalid.length);
        onKafkasThread(producer::completeNext);
        assertThat(progress.acknowledged()).isEqualTo(20L + invalid.length);
        assertThat(publisher.inFlightBytes()).isZero();
    }

    @Test
    void partsAcknowledgedOutOfOrderMoveTheCheckpointOnlyWhenAllAreIn() throws Exception {
        AckedProgress<Long> progress = new CheckpointStore(dir, Clock.systemUTC()).progress("app", 0L);
        byte[] invalid = new byte[512 * 1024];
        Arrays.fill(invalid, (byte) 0xfe);

        publisher.publish("test", record(LineText.decode(invalid)), progress.issue(1000L));
        int parts = producer.history().size();
        assertThat(parts).isGreaterThan(2);

        // the last part first: the line's position still waits for the earlier parts
        onKafkasThread(() -> {
            for (int i = 0; i < parts - 1; i++) {
                producer.completeNext();
            }
        });
        assertThat(progress.acknowledged()).isEqualTo(0L);
        onKafkasThread(producer::completeNext);
        assertThat(progress.acknowledged()).isEqualTo(1000L);
        assertThat(progress.pendingCount()).isZero();
    }

    @Test
    void aLineOfControlCharactersThatGrowsWhenEscapedArrivesWhole() throws Exception {
        AckedProgress<Long> progress = new CheckpointStore(dir, Clock.systemUTC()).progress("app", 0L);
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < 256 * 1024; i++) {
            line.append((char) (i % 31 + 1)); // \u0001 .. \u001f: each written as a 6-byte escape
        }
        line.append("tail \ud83d\ude00 end");
        RawRecord escaped = record(new LineText(line.toString(), null));
        assertThat(RecordCodec.encode(escaped).length).isGreaterThan(MAX_RECORD_SIZE);

        publisher.publish("test", escaped, progress.issue(7L));

        List<RawRecord> parts = sent();
        assertThat(parts).hasSizeGreaterThan(1).allSatisfy(part -> {
            assertThat(part.flags()).containsExactly(RecordFlag.SPLIT);
            assertThat(part.rawBytes()).isNull();
        });
        assertThat(producer.history()).allSatisfy(sent -> assertThat(sent.value().length).isLessThanOrEqualTo(MAX_RECORD_SIZE));
        String joined = String.join("", parts.stream().map(RawRecord::line).toList());
        assertThat(joined.length()).isEqualTo(line.length());
        assertThat(joined.equals(line.toString())).as("the parts' lines, joined, are the line").isTrue();

        onKafkasThread(() -> {
            while (producer.completeNext()) {
                // every part
            }
        });
        assertThat(progress.acknowledged()).isEqualTo(7L);
    }

    @Test
    void aMixOfValidAndInvalidBytesIsCutOutsideUtf8SequencesAndKeepsEveryByte() throws Exception {
        AckedProgress<Long> progress = new CheckpointStore(dir, Clock.systemUTC()).progress("app", 0L);
        // valid 2-, 3- and 4-byte characters among stray bytes: a cut inside a character would
        // turn a valid one into U+FFFD in both parts
        byte[] unit = "\u00e9\u4e2d\ud83d\ude00".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; bytes.size() < 1024 * 1024; i++) {
            bytes.writeBytes(unit);
            bytes.write(0x80 + i % 64);
        }
        byte[] original = bytes.toByteArray();
        RawRecord line = record(LineText.decode(original));

        publisher.publish("test", line, progress.issue(1L));

        List<RawRecord> parts = sent();
        assertThat(parts).hasSizeGreaterThan(1).allSatisfy(part -> assertThat(part.flags()).contains(RecordFlag.SPLIT));
        assertThat(producer.history()).allSatisfy(sent -> assertThat(sent.value().length).isLessThanOrEqualTo(MAX_RECORD_SIZE));
        assertThat(joined(parts).length).isEqualTo(original.length);
        assertThat(Arrays.equals(joined(parts), original)).as("the parts' original bytes, joined, are the line's").isTrue();
        // a part ending inside a character would give U+FFFD for it in both parts
        assertThat(String.join("", parts.stream().map(RawRecord::line).toList()).equals(line.line())).isTrue();
    }
}

package io.logpipe.collector.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.collector.checkpoint.AckedProgress;
import io.logpipe.collector.checkpoint.CheckpointStore;
import io.logpipe.collector.metrics.CollectorMetrics;
import io.logpipe.config.ByteSize;
import io.logpipe.record.LineText;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.SourceKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the publisher does when Kafka refuses a record for good. Kafka's own MockProducer stands
 * in for the broker here because no broker setting makes it refuse on demand; the broker-backed
 * behaviour (Kafka down, crash, restart) is pinned by KafkaOutageTest and CrashRecoveryTest.
 */
class RecordPublisherRefusalTest {
    @TempDir
    Path dir;

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final RecordPublisher publisher = new RecordPublisher(producer,
            new ProducerConfig(null, ByteSize.parse("64KiB"), ByteSize.parse("16KiB"), null, null), "logs.raw",
            new CollectorMetrics(new SimpleMeterRegistry()));

    /** Kafka answers on its own I/O thread: a callback on the sending thread means a refusal inside send(). */
    private static void onKafkasThread(Runnable answer) throws Exception {
        CompletableFuture.runAsync(answer).get();
    }

    private static RawRecord line(int n) {
        return RawRecord.of(1_764_064_800_000_000_000L + n, SourceKind.FILE, "pesubuntu/var/log/syslog",
                new LineText("line " + n + " " + "x".repeat(1000), null), Map.of("filename", "/var/log/syslog"), Map.of(), null);
    }

    @Test
    void aRecordRefusedForGoodHoldsItsCheckpointAndStaysCountedInFlightSoReadingStops() throws Exception {
        AckedProgress<Long> progress = new CheckpointStore(dir, Clock.systemUTC()).progress("syslog", 0L);
        publisher.publish("test", line(1), progress.issue(1000L));
        onKafkasThread(producer::completeNext);
        publisher.publish("test", line(2), progress.issue(2000L));
        long inFlight = publisher.inFlightBytes();
        onKafkasThread(() -> producer.errorNext(new TopicAuthorizationException("not allowed to write logs.raw")));

        assertThat(progress.acknowledged()).isEqualTo(1000L);
        assertThat(publisher.healthy()).isFalse();
        // like Kafka down: the budget stays spent, so publish() blocks and the source stops reading
        assertThat(publisher.inFlightBytes()).isEqualTo(inFlight).isPositive();
    }

    @Test
    void aRecordKafkaFindsTooLargeIsDroppedSoItsSourceGoesOn() throws Exception {
        AckedProgress<Long> progress = new CheckpointStore(dir, Clock.systemUTC()).progress("syslog", 0L);
        publisher.publish("test", line(1), progress.issue(1000L));
        onKafkasThread(() -> producer.errorNext(new RecordTooLargeException("too large")));

        assertThat(progress.acknowledged()).isEqualTo(1000L);
        assertThat(publisher.healthy()).isTrue();
        assertThat(publisher.inFlightBytes()).isZero();
    }

    @Test
    void aRecordWhoseAttributesAloneExceedTheMaxRecordSizeGoesWithAnEmptyLineInsteadOfCuttingForEver() throws Exception {
        RecordPublisher small = new RecordPublisher(producer, new ProducerConfig(null, ByteSize.parse("64KiB"),
                ByteSize.parse("16KiB"), null, ByteSize.parse("4KiB")), "logs.raw", new CollectorMetrics(new SimpleMeterRegistry()));
        AckedProgress<Long> progress = new CheckpointStore(dir, Clock.systemUTC()).progress("syslog", 0L);
        RawRecord huge = RawRecord.of(1_764_064_800_000_000_000L, SourceKind.FILE, "pesubuntu/var/log/app.log",
                new LineText("a line", null), Map.of("filename", "/var/log/app.log", "note", "n".repeat(5000)), Map.of(), null);

        CompletableFuture.runAsync(() -> {
            try {
                small.publish("test", huge, progress.issue(10L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).get(10, TimeUnit.SECONDS);

        assertThat(producer.history()).singleElement()
                .satisfies(sent -> assertThat(RecordCodec.decodeRaw(sent.value()).line()).isEmpty());
    }
}

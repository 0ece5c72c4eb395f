package io.logpipe.collector.publish;

import io.logpipe.collector.checkpoint.AckedProgress;
import io.logpipe.collector.metrics.CollectorMetrics;
import io.logpipe.collector.metrics.SourceMeters;
import io.logpipe.record.LineText;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RawRecordTemplate;
import io.logpipe.record.RecordFlag;
import java.util.Set;

/**
 * Where one source's records go: counted, bad UTF-8 reported, the position registered with
 * the source's checkpoint progress, then published. Every source ships through this one path.
 */
public final class SourceOutput {
    private final String source;
    private final RecordPublisher publisher;
    private final CollectorMetrics metrics;
    private final SourceMeters meters;

    public SourceOutput(String source, String kind, RecordPublisher publisher, CollectorMetrics metrics) {
        this.source = source;
        this.publisher = publisher;
        this.metrics = metrics;
        this.meters = metrics.source(source, kind);
    }

    /**
     * Ships {@code record}; {@code positionAfter} becomes the checkpoint of {@code progress} once
     * Kafka has acknowledged it and everything before it. Blocks while Kafka cannot take more.
     *
     * @param bytes the bytes this record took in the source, for the bytes-read counter (0 where the loop counts them)
     */
    public <P> void ship(RawRecord record, AckedProgress<P> progress, P positionAfter, long bytes) throws InterruptedException {
        ship(record, progress.issue(positionAfter), bytes);
    }

    /**
     * Ships the record of {@code template} with this line, as {@link #ship(RawRecord, AckedProgress, Object, long)}
     * would ship {@code template.record(...)}, but encoded straight from the bytes. A line that is
     * not valid UTF-8, or too large for Kafka, takes the general way.
     */
    public <P> void ship(RawRecordTemplate template, long timestampNanos, byte[] line, int offset, int length,
                         Set<RecordFlag> flags, AckedProgress<P> progress, P positionAfter, long bytes) throws InterruptedException {
        byte[] value = template.encode(timestampNanos, line, offset, length, flags);
        AckedProgress.Ticket<P> ticket = progress.issue(positionAfter);
        if (value != null && publisher.publishEncoded(template.key(), value, ticket)) {
            count(bytes);
            return;
        }
        ship(template.record(timestampNanos, LineText.decode(line, offset, length), flags), ticket, bytes);
    }

    private void ship(RawRecord record, AckedProgress.Ticket<?> ticket, long bytes) throws InterruptedException {
        if (record.has(RecordFlag.INVALID_UTF8)) {
            metrics.badInput(source, "invalid_utf8", "line kept with U+FFFD, original bytes in raw_bytes");
        }
        count(bytes);
        publisher.publish(source, record, ticket);
    }

    private void count(long bytes) {
        meters.linesRead().increment();
        if (bytes > 0) {
            meters.bytesRead().increment(bytes);
        }
    }

    public SourceMeters meters() {
        return meters;
    }

    public String source() {
        return source;
    }

    public CollectorMetrics metrics() {
        return metrics;
    }
}

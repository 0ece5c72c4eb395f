package io.logpipe.collector.publish;

import io.logpipe.collector.checkpoint.AckedProgress;
import io.logpipe.collector.metrics.CollectorMetrics;
import io.logpipe.collector.metrics.SourceMeters;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordFlag;

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
        if (record.has(RecordFlag.INVALID_UTF8)) {
            metrics.badInput(source, "invalid_utf8", "line kept with U+FFFD, original bytes in raw_bytes");
        }
        meters.linesRead().increment();
        if (bytes > 0) {
            meters.bytesRead().increment(bytes);
        }
        publisher.publish(record, progress.issue(positionAfter));
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

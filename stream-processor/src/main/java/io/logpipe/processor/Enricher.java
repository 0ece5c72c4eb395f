package io.logpipe.processor;

import io.logpipe.processor.errorrate.LineMetrics;
import io.logpipe.processor.labels.StreamLabeler;
import io.logpipe.processor.labels.StreamLabels;
import io.logpipe.processor.level.DetectedLevel;
import io.logpipe.processor.level.LevelDetector;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;

/** Turns one raw record into the enriched record Loki will get: level, stream labels, metadata. */
final class Enricher {
    private final LevelDetector levels = new LevelDetector();
    private final StreamLabeler labeler;
    private final LineMetrics metrics;

    Enricher(StreamLabeler labeler, LineMetrics metrics) {
        this.labeler = labeler;
        this.metrics = metrics;
    }

    EnrichedRecord enrich(RawRecord raw) {
        DetectedLevel level = levels.detect(raw);
        StreamLabels stream = labeler.label(raw, level.level());
        metrics.labelsCut(stream.cut());
        return new EnrichedRecord(RecordCodec.FORMAT_VERSION, raw.timestampNanos(), stream.labels().labels(), level.level(),
                raw.line(), raw.rawBytes(), stream.metadata(), raw.source(), raw.flags());
    }
}

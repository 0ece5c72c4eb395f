package io.logpipe.processor;

import io.logpipe.processor.errorrate.LineMetrics;
import io.logpipe.processor.labels.StreamLabeler;
import io.logpipe.processor.labels.StreamLabels;
import io.logpipe.processor.level.LevelDetector;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.Level;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.SourceKind;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KeyValue;

/**
 * Turns one raw record into the enriched record Loki will get — level, stream labels, metadata —
 * keyed by its canonical label set.
 *
 * <p>The labels and metadata depend only on the source's attributes, its static labels and the
 * level, which repeat for every line of a container or unit; they are worked out once and
 * remembered (up to {@value #REMEMBERED} combinations, then forgotten all at once), so the
 * per-line work is the level scan and the JSON.
 */
final class Enricher {
    private static final int REMEMBERED = 10_000;

    private final LevelDetector levels = new LevelDetector();
    private final StreamLabeler labeler;
    private final LineMetrics metrics;
    // shared by every stream thread
    private final Map<StreamInputs, Stream> streams = new ConcurrentHashMap<>();

    Enricher(StreamLabeler labeler, LineMetrics metrics) {
        this.labeler = labeler;
        this.metrics = metrics;
    }

    KeyValue<String, EnrichedRecord> enrich(RawRecord raw) {
        Level level = levels.detect(raw).level();
        StreamInputs inputs = new StreamInputs(raw.kind(), raw.attributes(), raw.labels(), level);
        Stream stream = streams.get(inputs);
        if (stream == null) {
            if (streams.size() >= REMEMBERED) {
                streams.clear();
            }
            StreamLabels labels = labeler.label(raw, level);
            stream = new Stream(labels.labels().labels(), labels.labels().canonical(), labels.metadata(), labels.cut());
            streams.put(inputs, stream);
        }
        metrics.labelsCut(stream.cut());
        return KeyValue.pair(stream.key(), new EnrichedRecord(RecordCodec.FORMAT_VERSION, raw.timestampNanos(), stream.labels(), level,
                raw.line(), raw.rawBytes(), stream.metadata(), raw.source(), raw.flags()));
    }

    /**
     * Everything the labels and metadata are made from, with the maps compared by identity: the
     * raw record reader gives every record of a source the same map instances, and hashing a
     * dozen attributes on every line cost a tenth of the per-line work (bench/processor/per_line.sh).
     * Equal maps in other instances (records read by data binding) only make another entry.
     */
    private record StreamInputs(SourceKind kind, Map<String, String> attributes, Map<String, String> labels, Level level) {
        @Override
        public int hashCode() {
            return ((System.identityHashCode(attributes) * 31 + System.identityHashCode(labels)) * 31 + kind.ordinal()) * 31
                    + level.ordinal();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof StreamInputs other && attributes == other.attributes && labels == other.labels && kind == other.kind
                    && level == other.level;
        }
    }

    /** The labels, their canonical text (the Kafka key), the metadata, and how many labels the cap cut. */
    private record Stream(Map<String, String> labels, String key, Map<String, String> metadata, int cut) {
    }
}

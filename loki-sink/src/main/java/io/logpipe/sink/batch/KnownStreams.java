package io.logpipe.sink.batch;

import io.logpipe.labels.LabelSet;
import io.logpipe.record.ByteRange;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.sink.admission.StreamCheck;
import java.util.HashMap;
import java.util.Map;

/**
 * The streams met so far, each known by the bytes of its records' {@code labels} object, with
 * its Loki text form and what Loki would think of it: worked out once a stream, not once a
 * record. The labels decide the stream (as they decide it for Loki), whatever the Kafka key says;
 * a stream whose records spell their labels differently is simply known under each spelling.
 *
 * <p>The Kafka key (the canonical label set, one a stream) serves as a hint only: the labels
 * object last seen with a key is what the next record with that key most likely holds, so the
 * transcoder can recognise it by comparing bytes instead of reading it. Not thread-safe.
 */
final class KnownStreams {
    private static final int MAX_KNOWN = 10_000;

    /** A stream: its Loki text form, and the problem Loki would find with it (null when none). */
    record KnownStream(String canonical, StreamCheck.Problem problem) {
    }

    /**
     * The labels object last seen with a Kafka key and its stream.
     *
     * @param labelsJson a complete JSON object, as the transcoder read it; not to be modified
     */
    record LastSeen(byte[] labelsJson, KnownStream stream) {
    }

    private final StreamCheck check;
    private final Map<ByteRange, KnownStream> byLabelsJson = new HashMap<>();
    private final Map<ByteRange, LastSeen> byKafkaKey = new HashMap<>();

    KnownStreams(StreamCheck check) {
        this.check = check;
    }

    /** What was last seen with {@code key}, or null. */
    LastSeen lastSeen(byte[] key) {
        return key == null ? null : byKafkaKey.get(new ByteRange(key, 0, key.length));
    }

    /**
     * The stream of the enriched {@code value} whose labels object lies at {@code from}–{@code to},
     * remembered as what {@code key} (may be null) was last seen with. The first record of a stream
     * is decoded by the reference decoder to read its labels.
     */
    KnownStream of(byte[] key, byte[] value, int from, int to) {
        ByteRange labelsJson = new ByteRange(value, from, to);
        KnownStream known = byLabelsJson.get(labelsJson);
        if (known == null) {
            known = of(RecordCodec.decodeEnriched(value));
            labelsJson = labelsJson.copy();
            remember(byLabelsJson, labelsJson, known);
        }
        if (key != null) {
            ByteRange own = labelsJson.liesIn(value) ? labelsJson.copy() : labelsJson;
            remember(byKafkaKey, new ByteRange(key, 0, key.length), new LastSeen(own.bytes(), known));
        }
        return known;
    }

    /** The stream of a record decoded by the reference decoder; not remembered (this path is rare). */
    KnownStream of(EnrichedRecord record) {
        LabelSet labels = record.stream();
        return new KnownStream(labels.canonical(), check.check(labels));
    }

    private static <V> void remember(Map<ByteRange, V> map, ByteRange key, V value) {
        if (map.size() >= MAX_KNOWN && !map.containsKey(key)) {
            map.clear();
        }
        map.put(key, value);
    }
}

package io.logpipe.sink.batch;

import io.logpipe.labels.LabelSet;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.JsonBytes;
import io.logpipe.record.RecordCodec;
import io.logpipe.sink.admission.StreamCheck;
import java.util.Arrays;
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
    private final Map<Bytes, KnownStream> byLabelsJson = new HashMap<>();
    private final Map<Bytes, LastSeen> byKafkaKey = new HashMap<>();

    KnownStreams(StreamCheck check) {
        this.check = check;
    }

    /** What was last seen with {@code key}, or null. */
    LastSeen lastSeen(byte[] key) {
        return key == null ? null : byKafkaKey.get(new Bytes(key, 0, key.length));
    }

    /**
     * The stream of the enriched {@code value} whose labels object lies at {@code from}–{@code to},
     * remembered as what {@code key} (may be null) was last seen with. The first record of a stream
     * is decoded by the reference decoder to read its labels.
     */
    KnownStream of(byte[] key, byte[] value, int from, int to) {
        Bytes labelsJson = new Bytes(value, from, to);
        KnownStream known = byLabelsJson.get(labelsJson);
        if (known == null) {
            known = of(RecordCodec.decodeEnriched(value));
            labelsJson = labelsJson.copy();
            remember(byLabelsJson, labelsJson, known);
        }
        if (key != null) {
            Bytes own = labelsJson.bytes == value ? labelsJson.copy() : labelsJson;
            remember(byKafkaKey, new Bytes(key, 0, key.length), new LastSeen(own.bytes, known));
        }
        return known;
    }

    /** The stream of a record decoded by the reference decoder; not remembered (this path is rare). */
    KnownStream of(EnrichedRecord record) {
        LabelSet labels = record.stream();
        return new KnownStream(labels.canonical(), check.check(labels));
    }

    private static <V> void remember(Map<Bytes, V> map, Bytes key, V value) {
        if (map.size() >= MAX_KNOWN && !map.containsKey(key)) {
            map.clear();
        }
        map.put(key, value);
    }

    /** A range of bytes as a map key: a lookup wraps the record's bytes, only a new entry copies them. */
    private static final class Bytes {
        private final byte[] bytes;
        private final int from;
        private final int to;
        private final int hash;

        Bytes(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
            this.hash = JsonBytes.hash(bytes, from, to);
        }

        Bytes copy() {
            return new Bytes(Arrays.copyOfRange(bytes, from, to), 0, to - from);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes other && Arrays.equals(bytes, from, to, other.bytes, other.from, other.to);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}

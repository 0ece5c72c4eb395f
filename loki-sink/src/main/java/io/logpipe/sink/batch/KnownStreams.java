package io.logpipe.sink.batch;

import io.logpipe.labels.LabelSet;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.sink.admission.StreamCheck;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The streams met so far, each known by the bytes of its records' {@code labels} object, with
 * its Loki text form and what Loki would think of it: worked out once a stream, not once a
 * record. The labels decide the stream (as they decide it for Loki), whatever the Kafka key says;
 * a stream whose records spell their labels differently is simply known under each spelling.
 * Not thread-safe.
 */
final class KnownStreams {
    private static final int MAX_KNOWN = 10_000;

    /** A stream: its Loki text form, and the problem Loki would find with it (null when none). */
    record KnownStream(String canonical, StreamCheck.Problem problem) {
    }

    private final StreamCheck check;
    private final Map<LabelsJson, KnownStream> byLabelsJson = new HashMap<>();

    KnownStreams(StreamCheck check) {
        this.check = check;
    }

    /**
     * The stream of the enriched {@code value} whose labels object lies at {@code from}–{@code to}.
     * The first record of a stream is decoded by the reference decoder to read its labels.
     */
    KnownStream of(byte[] value, int from, int to) {
        LabelsJson probe = new LabelsJson(value, from, to);
        KnownStream known = byLabelsJson.get(probe);
        if (known == null) {
            EnrichedRecord record = RecordCodec.decodeEnriched(value);
            known = of(record);
            if (byLabelsJson.size() >= MAX_KNOWN) {
                byLabelsJson.clear();
            }
            byLabelsJson.put(probe.copy(), known);
        }
        return known;
    }

    /** The stream of a record decoded by the reference decoder; not remembered (this path is rare). */
    KnownStream of(EnrichedRecord record) {
        LabelSet labels = record.stream();
        return new KnownStream(labels.canonical(), check.check(labels));
    }

    /** A range of bytes as a map key: a lookup wraps the record's value, only a new stream copies it. */
    private static final class LabelsJson {
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private final byte[] bytes;
        private final int from;
        private final int to;
        private final int hash;

        LabelsJson(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
            int h = 1;
            int i = from;
            for (; i + Long.BYTES <= to; i += Long.BYTES) { // eight bytes a step: this runs for every record
                h = 31 * h + Long.hashCode((long) LONGS.get(bytes, i));
            }
            for (; i < to; i++) {
                h = 31 * h + bytes[i];
            }
            this.hash = h;
        }

        LabelsJson copy() {
            return new LabelsJson(Arrays.copyOfRange(bytes, from, to), 0, to - from);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LabelsJson other && Arrays.equals(bytes, from, to, other.bytes, other.from, other.to);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}

package io.logpipe.sink.push;

import com.google.protobuf.Timestamp;
import io.logpipe.sink.push.proto.LokiPush.EntryAdapter;
import io.logpipe.sink.push.proto.LokiPush.LabelPairAdapter;
import java.util.Map;

/**
 * One entry to push, already in Loki's wire form, with what it came from, so that a refusal
 * can be traced back to its record (a Kafka record for the sink, nothing for a replay to stdout).
 *
 * <p>The entry is kept as the bytes of its {@code logproto.EntryAdapter} message rather than as
 * strings: the sink writes them straight from the record's JSON (io.logpipe.sink.transcode), and
 * a push copies them into the request as they are. The structured metadata come last in those
 * bytes (field 3, written after the timestamp and the line), so a push for a Loki without
 * structured metadata sends only the bytes before {@code metadataAt}.
 *
 * @param stream the stream's label set in Loki's text form, {@code LabelSet.canonical()}
 * @param timestampNanos the entry timestamp, nanoseconds since the epoch
 * @param encoded the {@code EntryAdapter} message: timestamp, line (as it will be stored, already
 *                truncated where needed), structured metadata; not to be modified
 * @param metadataAt where the structured metadata start in {@code encoded}
 * @param origin the caller's handle on where the entry came from
 * @param <O> the origin's type
 */
public record LokiEntry<O>(String stream, long timestampNanos, byte[] encoded, int metadataAt, O origin) {

    /** The entry of {@code line} with {@code structuredMetadata} (sent in the map's order; may be empty). */
    public LokiEntry(String stream, long timestampNanos, String line, Map<String, String> structuredMetadata, O origin) {
        this(stream, timestampNanos, encode(timestampNanos, line, structuredMetadata), origin);
    }

    private LokiEntry(String stream, long timestampNanos, EntryAdapter[] withAndWithoutMetadata, O origin) {
        this(stream, timestampNanos, withAndWithoutMetadata[0].toByteArray(), withAndWithoutMetadata[1].getSerializedSize(), origin);
    }

    /**
     * The entry through protobuf's generated builders: the reference encoding, which the sink's
     * transcoder is tested against. Returns the entry and the same entry without metadata.
     */
    private static EntryAdapter[] encode(long timestampNanos, String line, Map<String, String> structuredMetadata) {
        EntryAdapter plain = EntryAdapter.newBuilder()
                .setTimestamp(Timestamp.newBuilder()
                        .setSeconds(Math.floorDiv(timestampNanos, 1_000_000_000L))
                        .setNanos((int) Math.floorMod(timestampNanos, 1_000_000_000L)))
                .setLine(line)
                .build();
        EntryAdapter.Builder full = plain.toBuilder();
        for (Map.Entry<String, String> pair : structuredMetadata.entrySet()) {
            full.addStructuredMetadata(LabelPairAdapter.newBuilder().setName(pair.getKey()).setValue(pair.getValue()));
        }
        return new EntryAdapter[] {full.build(), plain};
    }

    /** A cheap estimate of the entry's share of a push, used to close batches by size. */
    public int estimatedBytes() {
        return encoded.length + 8;
    }
}

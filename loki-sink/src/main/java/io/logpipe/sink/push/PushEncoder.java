package io.logpipe.sink.push;

import com.google.protobuf.Timestamp;
import io.logpipe.sink.push.proto.LokiPush.EntryAdapter;
import io.logpipe.sink.push.proto.LokiPush.LabelPairAdapter;
import io.logpipe.sink.push.proto.LokiPush.PushRequest;
import io.logpipe.sink.push.proto.LokiPush.StreamAdapter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Loki's native push body: a {@code logproto.PushRequest}, snappy block-compressed. Entries
 * are grouped into one {@code StreamAdapter} a stream, each stream's entries in the order given.
 */
public final class PushEncoder {
    private final boolean structuredMetadata;

    public PushEncoder(boolean structuredMetadata) {
        this.structuredMetadata = structuredMetadata;
    }

    /** The encoded request and the size of its protobuf form before compression. */
    public record Body(byte[] compressed, int uncompressedBytes) {
    }

    public Body encode(List<? extends LokiEntry<?>> entries) {
        PushRequest request = request(entries);
        byte[] plain = request.toByteArray();
        try {
            return new Body(Snappy.compress(plain), plain.length);
        } catch (IOException e) {
            throw new UncheckedIOException("snappy compression failed", e);
        }
    }

    public PushRequest request(List<? extends LokiEntry<?>> entries) {
        Map<String, List<LokiEntry<?>>> byStream = new LinkedHashMap<>();
        for (LokiEntry<?> entry : entries) {
            byStream.computeIfAbsent(entry.stream(), s -> new ArrayList<>()).add(entry);
        }
        PushRequest.Builder request = PushRequest.newBuilder();
        for (Map.Entry<String, List<LokiEntry<?>>> stream : byStream.entrySet()) {
            StreamAdapter.Builder adapter = request.addStreamsBuilder().setLabels(stream.getKey());
            for (LokiEntry<?> entry : stream.getValue()) {
                EntryAdapter.Builder built = adapter.addEntriesBuilder()
                        .setTimestamp(Timestamp.newBuilder()
                                .setSeconds(Math.floorDiv(entry.timestampNanos(), 1_000_000_000L))
                                .setNanos((int) Math.floorMod(entry.timestampNanos(), 1_000_000_000L)))
                        .setLine(entry.line());
                if (structuredMetadata) {
                    for (Map.Entry<String, String> pair : entry.structuredMetadata().entrySet()) {
                        built.addStructuredMetadata(LabelPairAdapter.newBuilder().setName(pair.getKey()).setValue(pair.getValue()));
                    }
                }
            }
        }
        return request.build();
    }
}

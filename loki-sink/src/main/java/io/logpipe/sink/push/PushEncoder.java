package io.logpipe.sink.push;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Loki's native push body: a {@code logproto.PushRequest}, snappy block-compressed. Entries
 * are grouped into one {@code StreamAdapter} a stream, each stream's entries in the order given.
 *
 * <p>The request is written field by field because every entry is already encoded
 * ({@link LokiEntry#encoded()}): building protobuf message objects for them again was an eighth
 * of the sink's CPU. PushWireFormatTest compares the bytes with those of the generated builders.
 */
public final class PushEncoder {
    private static final int STREAMS = 1;
    private static final int LABELS = 1;
    private static final int ENTRIES = 2;

    private final boolean structuredMetadata;

    public PushEncoder(boolean structuredMetadata) {
        this.structuredMetadata = structuredMetadata;
    }

    /** The encoded request and the size of its protobuf form before compression. */
    public record Body(byte[] compressed, int uncompressedBytes) {
    }

    public Body encode(List<? extends LokiEntry<?>> entries) {
        byte[] plain = request(entries);
        try {
            return new Body(Snappy.compress(plain), plain.length);
        } catch (IOException e) {
            throw new UncheckedIOException("snappy compression failed", e);
        }
    }

    /** The uncompressed {@code PushRequest}. */
    public byte[] request(List<? extends LokiEntry<?>> entries) {
        Map<String, List<LokiEntry<?>>> byStream = new LinkedHashMap<>();
        for (LokiEntry<?> entry : entries) {
            byStream.computeIfAbsent(entry.stream(), s -> new ArrayList<>()).add(entry);
        }
        List<byte[]> labels = new ArrayList<>(byStream.size());
        int[] streamSizes = new int[byStream.size()];
        int total = 0;
        int s = 0;
        for (Map.Entry<String, List<LokiEntry<?>>> stream : byStream.entrySet()) {
            byte[] text = stream.getKey().getBytes(StandardCharsets.UTF_8);
            labels.add(text);
            int size = text.length == 0 ? 0 : CodedOutputStream.computeByteArraySize(LABELS, text);
            for (LokiEntry<?> entry : stream.getValue()) {
                int length = length(entry);
                size += CodedOutputStream.computeTagSize(ENTRIES) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
            }
            streamSizes[s++] = size;
            total += CodedOutputStream.computeTagSize(STREAMS) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
        }
        byte[] plain = new byte[total];
        CodedOutputStream out = CodedOutputStream.newInstance(plain);
        try {
            s = 0;
            for (List<LokiEntry<?>> stream : byStream.values()) {
                out.writeTag(STREAMS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(streamSizes[s]);
                byte[] text = labels.get(s++);
                if (text.length > 0) { // proto3 leaves an empty string out
                    out.writeByteArray(LABELS, text);
                }
                for (LokiEntry<?> entry : stream) {
                    int length = length(entry);
                    out.writeTag(ENTRIES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                    out.writeUInt32NoTag(length);
                    out.writeRawBytes(entry.encoded(), 0, length);
                }
            }
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("the push request's size was worked out wrong", e);
        }
        return plain;
    }

    private int length(LokiEntry<?> entry) {
        return structuredMetadata ? entry.encoded().length : entry.metadataAt();
    }
}

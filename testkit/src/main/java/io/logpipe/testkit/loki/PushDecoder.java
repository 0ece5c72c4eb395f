package io.logpipe.testkit.loki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Decodes Loki push bodies: snappy-compressed {@code logproto.PushRequest} read field by field
 * with protobuf's generic {@link CodedInputStream} (so the sink's generated classes are checked
 * against the field numbers of Loki's push.proto, not against themselves), and the JSON form.
 */
final class PushDecoder {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A body Loki cannot read; the message is Loki's. */
    static final class UnreadableBody extends Exception {
        private static final long serialVersionUID = 1L;

        UnreadableBody(String message) {
            super(message);
        }
    }

    static List<PushedStream> snappyProtobuf(byte[] body) throws UnreadableBody {
        byte[] plain;
        try {
            if (!Snappy.isValidCompressedBuffer(body)) {
                throw new UnreadableBody("snappy: corrupt input");
            }
            plain = Snappy.uncompress(body);
        } catch (IOException e) {
            throw new UnreadableBody("snappy: corrupt input");
        }
        try {
            List<PushedStream> streams = new ArrayList<>();
            CodedInputStream in = CodedInputStream.newInstance(plain);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == 1) {
                    streams.add(stream(in.readBytes().toByteArray()));
                } else {
                    in.skipField(tag);
                }
            }
            return streams;
        } catch (IOException e) {
            throw new UnreadableBody("proto: " + e.getMessage());
        }
    }

    private static PushedStream stream(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String labels = "";
        List<PushedStream.PushedEntry> entries = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> labels = in.readString();
                case 2 -> entries.add(entry(in.readBytes().toByteArray()));
                default -> in.skipField(tag); // 3: hash, set by Loki itself
            }
        }
        return new PushedStream(labels, null, entries);
    }

    private static PushedStream.PushedEntry entry(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        long nanos = 0;
        String line = "";
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> nanos = timestamp(in.readBytes().toByteArray());
                case 2 -> line = in.readString();
                case 3 -> {
                    Map.Entry<String, String> pair = labelPair(in.readBytes().toByteArray());
                    metadata.put(pair.getKey(), pair.getValue());
                }
                default -> in.skipField(tag);
            }
        }
        return new PushedStream.PushedEntry(nanos, line, metadata);
    }

    private static long timestamp(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        long seconds = 0;
        int nanos = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> seconds = in.readInt64();
                case 2 -> nanos = in.readInt32();
                default -> in.skipField(tag);
            }
        }
        return seconds * 1_000_000_000L + nanos;
    }

    private static Map.Entry<String, String> labelPair(byte[] bytes) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        String name = "";
        String value = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = in.readString();
                case 2 -> value = in.readString();
                default -> in.skipField(tag);
            }
        }
        return new AbstractMap.SimpleImmutableEntry<>(name, value);
    }

    /** {@code {"streams":[{"stream":{"a":"b"},"values":[["<ns>","line",{"k":"v"}]]}]}} */
    static List<PushedStream> json(byte[] body) throws UnreadableBody {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new UnreadableBody("loghttp.PushRequest.Streams: " + e.getMessage());
        }
        List<PushedStream> streams = new ArrayList<>();
        if (root == null || !root.path("streams").isArray()) {
            return streams;
        }
        for (JsonNode stream : root.get("streams")) {
            List<Map.Entry<String, String>> labels = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = stream.path("stream").fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                labels.add(new AbstractMap.SimpleImmutableEntry<>(field.getKey(), field.getValue().asText()));
            }
            List<PushedStream.PushedEntry> entries = new ArrayList<>();
            for (JsonNode value : stream.path("values")) {
                long nanos;
                try {
                    nanos = new BigInteger(value.path(0).asText()).longValueExact();
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new UnreadableBody("loghttp.PushRequest.Streams: timestamp '" + value.path(0).asText() + "' is not a number");
                }
                Map<String, String> metadata = new LinkedHashMap<>();
                value.path(2).fields().forEachRemaining(f -> metadata.put(f.getKey(), f.getValue().asText()));
                entries.add(new PushedStream.PushedEntry(nanos, value.path(1).asText(), metadata));
            }
            streams.add(new PushedStream(null, labels, entries));
        }
        return streams;
    }
}

package io.logpipe.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The JSON form of {@link RawRecord} and {@link EnrichedRecord}: the values of every logpipe topic.
 * Every problem with a value becomes a {@link RecordFormatException} whose message says what is wrong,
 * so a bad record can go to the DLQ with a reason instead of stopping a consumer.
 */
public final class RecordCodec {
    /** The version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();
    private static final ObjectWriter RAW_WRITER = MAPPER.writerFor(RawRecord.class);
    private static final ObjectWriter ENRICHED_WRITER = MAPPER.writerFor(EnrichedRecord.class);
    private static final ObjectReader RAW_READER = MAPPER.readerFor(RawRecord.class);
    private static final ObjectReader ENRICHED_READER = MAPPER.readerFor(EnrichedRecord.class);

    private RecordCodec() {
    }

    public static byte[] encode(RawRecord record) {
        return write(RAW_WRITER, record);
    }

    public static byte[] encode(EnrichedRecord record) {
        return write(ENRICHED_WRITER, record);
    }

    public static RawRecord decodeRaw(byte[] value) {
        return read(RAW_READER, value, "raw");
    }

    public static EnrichedRecord decodeEnriched(byte[] value) {
        return read(ENRICHED_READER, value, "enriched");
    }

    /** Decodes a value of either kind: enriched records have {@code labels} and {@code level}, raw ones {@code kind}. */
    public static Object decodeAny(byte[] value) {
        JsonNode tree = tree(value);
        return tree.has("kind") ? decodeRaw(value) : decodeEnriched(value);
    }

    private static JsonNode tree(byte[] value) {
        if (value == null || value.length == 0) {
            throw new RecordFormatException("empty value: not a logpipe record");
        }
        try {
            JsonNode node = MAPPER.readTree(value);
            if (node == null || !node.isObject()) {
                throw new RecordFormatException("not a logpipe record: the value is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new RecordFormatException("not a logpipe record: invalid JSON (" + firstLine(e.getMessage()) + ")", e);
        }
    }

    private static byte[] write(ObjectWriter writer, Object record) {
        try {
            return writer.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + record.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(ObjectReader reader, byte[] value, String what) {
        JsonNode tree = tree(value);
        JsonNode version = tree.get("v");
        if (version == null || !version.canConvertToInt()) {
            throw new RecordFormatException("not a logpipe " + what + " record: field 'v' (format version) is missing");
        }
        if (version.intValue() != FORMAT_VERSION) {
            throw new RecordFormatException("unsupported record format version " + version.intValue()
                    + " (this build reads version " + FORMAT_VERSION + ")");
        }
        try {
            return reader.readValue(tree);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new RecordFormatException("invalid " + what + " record: " + cause.getMessage() + " is missing", e);
        } catch (InvalidFormatException e) {
            throw new RecordFormatException("invalid " + what + " record: field '" + path(e) + "' has a bad value ("
                    + firstLine(e.getOriginalMessage()) + ")", e);
        } catch (MismatchedInputException e) {
            String path = path(e);
            throw new RecordFormatException("invalid " + what + " record: "
                    + (path.isEmpty() ? "" : "field '" + path + "': ") + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new RecordFormatException("invalid " + what + " record: " + firstLine(e.getMessage()), e);
        }
    }

    private static String path(MismatchedInputException e) {
        StringBuilder path = new StringBuilder();
        e.getPath().forEach(ref -> {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        });
        return path.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

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
import io.logpipe.json.JsonErrors;
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
    private static final ObjectMapper STREAMING = JsonMapper.builder().build();
    private static final ThreadLocal<RawRecordReader> RAW_READER_BY_HAND = ThreadLocal.withInitial(RawRecordReader::new);
    private static final ThreadLocal<RecordJsonWriter> JSON_WRITER = ThreadLocal.withInitial(RecordJsonWriter::new);
    private static final ObjectWriter RAW_WRITER = MAPPER.writerFor(RawRecord.class);
    private static final ObjectWriter ENRICHED_WRITER = MAPPER.writerFor(EnrichedRecord.class);
    private static final ObjectReader RAW_READER = MAPPER.readerFor(RawRecord.class);
    private static final ObjectReader ENRICHED_READER = MAPPER.readerFor(EnrichedRecord.class);

    private RecordCodec() {
    }

    /**
     * The raw record's JSON. The collector encodes every line it reads, so this is written by
     * hand ({@link RecordJsonWriter}); the output is the same as data binding gives
     * (RecordCodecTest compares them).
     */
    public static byte[] encode(RawRecord record) {
        return JSON_WRITER.get().encode(record);
    }

    /** This thread's record writer, shared with {@link RawRecordTemplate}. */
    static RecordJsonWriter jsonWriter() {
        return JSON_WRITER.get();
    }

    /** The data-binding form of {@link #encode(RawRecord)}, kept as the reference its test compares with. */
    static byte[] encodeByDataBinding(RawRecord record) {
        return write(RAW_WRITER, record);
    }

    /**
     * The enriched record's JSON, written by hand ({@link RecordJsonWriter}) like the raw record's:
     * the stream-processor encodes every line. The JSON value is the same as data binding gives
     * (RecordCodecTest compares them).
     */
    public static byte[] encode(EnrichedRecord record) {
        return JSON_WRITER.get().encode(record);
    }

    /** The data-binding form of {@link #encode(EnrichedRecord)}, kept as the reference its test compares with. */
    static byte[] encodeByDataBinding(EnrichedRecord record) {
        return write(ENRICHED_WRITER, record);
    }

    /**
     * Reads a raw record by hand ({@link RawRecordReader}): the stream-processor decodes every
     * record. A value not in the form the collector writes takes the data-binding path, which
     * accepts what JSON allows and gives the precise error; both paths accept and refuse the same
     * values (RecordCodecTest compares them).
     */
    public static RawRecord decodeRaw(byte[] value) {
        RawRecord fast = value == null ? null : RAW_READER_BY_HAND.get().read(value);
        return fast != null ? fast : decodeRawByDataBinding(value);
    }

    /** The data-binding form of {@link #decodeRaw}, the reference for its errors and its test. */
    static RawRecord decodeRawByDataBinding(byte[] value) {
        return read(RAW_READER, value, "raw");
    }

    /**
     * Reads an enriched record field by field: the loki-sink decodes every record it pushes, and
     * this is several times cheaper than data binding. Anything unusual (another version, an
     * unknown field, a wrong type, a missing field) takes the data-binding path, which gives the
     * precise error; so both paths accept and refuse the same values (RecordCodecTest compares them).
     */
    public static EnrichedRecord decodeEnriched(byte[] value) {
        EnrichedRecord fast = value == null ? null : readEnrichedStreaming(value);
        return fast != null ? fast : decodeEnrichedByDataBinding(value);
    }

    /** The data-binding form of {@link #decodeEnriched}, the reference for its errors and its test. */
    static EnrichedRecord decodeEnrichedByDataBinding(byte[] value) {
        return read(ENRICHED_READER, value, "enriched");
    }

    /** The record, or null when the value is anything but a plain version-1 enriched record. */
    private static EnrichedRecord readEnrichedStreaming(byte[] value) {
        try (com.fasterxml.jackson.core.JsonParser json = STREAMING.getFactory().createParser(value)) {
            if (json.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return null;
            }
            Integer version = null;
            Long ts = null;
            java.util.Map<String, String> labels = null;
            java.util.Map<String, String> metadata = null;
            Level level = null;
            String line = null;
            String rawBytes = null;
            String source = null;
            java.util.Set<RecordFlag> flags = null;
            for (String field = json.nextFieldName(); field != null; field = json.nextFieldName()) {
                com.fasterxml.jackson.core.JsonToken token = json.nextToken();
                switch (field) {
                    case "v" -> version = token == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT ? json.getIntValue() : null;
                    case "ts" -> ts = token == com.fasterxml.jackson.core.JsonToken.VALUE_NUMBER_INT ? json.getLongValue() : null;
                    case "labels" -> labels = readStringMap(json, token);
                    case "metadata" -> metadata = readStringMap(json, token);
                    case "level" -> level = token == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? Level.fromLabel(json.getText()) : null;
                    case "line" -> line = token == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? json.getText() : null;
                    case "raw_bytes" -> rawBytes = token == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? json.getText() : null;
                    case "source" -> source = token == com.fasterxml.jackson.core.JsonToken.VALUE_STRING ? json.getText() : null;
                    case "flags" -> flags = readFlags(json, token);
                    default -> {
                        return null;
                    }
                }
                boolean understood = switch (field) {
                    case "v" -> version != null;
                    case "ts" -> ts != null;
                    case "labels" -> labels != null;
                    case "metadata" -> metadata != null;
                    case "level" -> level != null;
                    case "line" -> line != null;
                    case "raw_bytes" -> rawBytes != null;
                    case "source" -> source != null;
                    default -> flags != null;
                };
                if (!understood) {
                    return null;
                }
            }
            if (json.nextToken() != null || version == null || version != FORMAT_VERSION || ts == null || labels == null || line == null) {
                return null;
            }
            return new EnrichedRecord(version, ts, labels, level, line, rawBytes, metadata, source, flags);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static java.util.Map<String, String> readStringMap(com.fasterxml.jackson.core.JsonParser json,
                                                             com.fasterxml.jackson.core.JsonToken token) throws IOException {
        if (token != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
            return null;
        }
        java.util.Map<String, String> map = new java.util.HashMap<>();
        for (String key = json.nextFieldName(); key != null; key = json.nextFieldName()) {
            if (json.nextToken() != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                return null;
            }
            map.put(key, json.getText());
        }
        return map;
    }

    private static java.util.Set<RecordFlag> readFlags(com.fasterxml.jackson.core.JsonParser json,
                                                      com.fasterxml.jackson.core.JsonToken token) throws IOException {
        if (token != com.fasterxml.jackson.core.JsonToken.START_ARRAY) {
            return null;
        }
        java.util.Set<RecordFlag> flags = java.util.EnumSet.noneOf(RecordFlag.class);
        for (com.fasterxml.jackson.core.JsonToken t = json.nextToken(); t != com.fasterxml.jackson.core.JsonToken.END_ARRAY; t = json.nextToken()) {
            if (t != com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                return null;
            }
            flags.add(RecordFlag.fromLabel(json.getText()));
        }
        return flags;
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
            throw new RecordFormatException("not a logpipe record: invalid JSON (" + JsonErrors.firstLine(e.getMessage()) + ")", e);
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
        // Fast path: bind the bytes directly (no tree; this is per record in the processor). Only a
        // value that does not bind as a record of this version takes the path below, which builds
        // a tree to say precisely what is wrong.
        if (value != null && value.length > 0) {
            try {
                T record = reader.readValue(value);
                if (versionOf(record) == FORMAT_VERSION) {
                    return record;
                }
            } catch (IOException | RuntimeException e) {
                // explained below
            }
        }
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
            throw new RecordFormatException("invalid " + what + " record: field '" + JsonErrors.keyPath(e) + "' has a bad value ("
                    + JsonErrors.firstLine(e.getOriginalMessage()) + ")", e);
        } catch (MismatchedInputException e) {
            String path = JsonErrors.keyPath(e);
            throw new RecordFormatException("invalid " + what + " record: "
                    + (path.isEmpty() ? "" : "field '" + path + "': ") + JsonErrors.firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new RecordFormatException("invalid " + what + " record: " + JsonErrors.firstLine(e.getMessage()), e);
        }
    }

    private static int versionOf(Object record) {
        if (record instanceof RawRecord raw) {
            return raw.version();
        }
        return record instanceof EnrichedRecord enriched ? enriched.version() : -1;
    }
}

package io.logpipe.record;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * What the records of one source stream have in common (kind, source, attributes, labels),
 * with its JSON written once. A tailed file produces millions of records that differ only in
 * timestamp, line and flags; encoding the rest once per file instead of once per line, and the
 * line straight from the bytes read, halves the collector's cost per line. The JSON is the same
 * as {@link RecordCodec#encode(RawRecord)} gives for {@link #record} (RecordCodecTest compares them).
 */
public final class RawRecordTemplate {
    private final SourceKind kind;
    private final String source;
    private final Map<String, String> attributes;
    private final Map<String, String> labels;
    private final byte[] key;
    private final byte[] head;
    private final byte[] tail;

    public RawRecordTemplate(SourceKind kind, String source, Map<String, String> attributes, Map<String, String> labels) {
        // the record's constructor checks and sorts exactly as it does for every record
        RawRecord checked = new RawRecord(RecordCodec.FORMAT_VERSION, 0, kind, source, "", null, attributes, labels, null);
        this.kind = checked.kind();
        this.source = checked.source();
        this.attributes = checked.attributes();
        this.labels = checked.labels();
        this.key = source.getBytes(StandardCharsets.UTF_8);
        RecordJsonWriter json = RecordCodec.jsonWriter();
        this.head = json.head(kind, source);
        this.tail = json.tail(this.attributes, this.labels);
    }

    /**
     * The JSON of {@code record(timestampNanos, LineText.decode(line, offset, length), flags)},
     * or null when the bytes are not valid UTF-8: such a line needs {@link #record}, which keeps
     * the original bytes and adds the {@code invalid_utf8} flag.
     */
    public byte[] encode(long timestampNanos, byte[] line, int offset, int length, Set<RecordFlag> flags) {
        return RecordCodec.jsonWriter().encode(this, timestampNanos, line, offset, length, flags);
    }

    /** The record itself, for what {@link #encode} does not take (invalid UTF-8, a line to cut). */
    public RawRecord record(long timestampNanos, LineText line, Set<RecordFlag> flags) {
        return RawRecord.of(timestampNanos, kind, source, line, attributes, labels, flags);
    }

    /** The source as UTF-8: the Kafka key of every record of this template. Shared by them all: not to be written to. */
    public byte[] key() {
        return key;
    }

    /** The source identity, as in every record of this template. */
    public String source() {
        return source;
    }

    byte[] head() {
        return head;
    }

    byte[] tail() {
        return tail;
    }
}

package io.logpipe.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One log line as a collector publishes it to {@code logs.raw}. See docs/record-format.md.
 *
 * @param version format version, {@link RecordCodec#FORMAT_VERSION}
 * @param timestampNanos the source's own timestamp, nanoseconds since the epoch
 * @param kind which kind of source the line came from
 * @param source the source identity (also the Kafka key): keeps one source's lines in order
 * @param line the line text, without the trailing newline and without CRI/docker envelope
 * @param rawBytes the original bytes in base64 when they were not valid UTF-8, else null
 * @param attributes what the source knows about the line (namespace, pod, unit, priority, ...)
 * @param labels static labels configured on the source (job, host, service, ...)
 * @param flags how the line was read (truncated, joined, invalid UTF-8, ...)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RawRecord(
        @JsonProperty("v") int version,
        @JsonProperty("ts") long timestampNanos,
        @JsonProperty("kind") SourceKind kind,
        @JsonProperty("source") String source,
        // always written: an empty line is a line, and readers require the field
        @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("line") String line,
        @JsonProperty("raw_bytes") String rawBytes,
        @JsonProperty("attributes") Map<String, String> attributes,
        @JsonProperty("labels") Map<String, String> labels,
        @JsonProperty("flags") Set<RecordFlag> flags) {

    public RawRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(line, "line");
        attributes = sorted(attributes);
        labels = sorted(labels);
        flags = flags == null || flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
    }

    private static final Class<?> SORTED_VIEW = Collections.unmodifiableSortedMap(new TreeMap<String, String>()).getClass();

    /**
     * An immutable, name-sorted copy of {@code map}, as a record holds its maps. A map that
     * already is one (from another record, or made once with this method and reused for many
     * records, as the collector does per file) is kept as it is instead of copied again.
     */
    public static Map<String, String> sorted(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        if (map.getClass() == SORTED_VIEW && ((java.util.SortedMap<String, String>) map).comparator() == null) {
            return map;
        }
        return Collections.unmodifiableSortedMap(new TreeMap<>(map));
    }

    /** A record of the current format version. */
    public static RawRecord of(long timestampNanos, SourceKind kind, String source, LineText line,
                               Map<String, String> attributes, Map<String, String> labels, Set<RecordFlag> flags) {
        EnumSet<RecordFlag> all = flags == null || flags.isEmpty() ? EnumSet.noneOf(RecordFlag.class) : EnumSet.copyOf(flags);
        if (!line.valid()) {
            all.add(RecordFlag.INVALID_UTF8);
        }
        return new RawRecord(RecordCodec.FORMAT_VERSION, timestampNanos, kind, source, line.text(), line.rawBytesBase64(),
                attributes, labels, all);
    }

    public boolean has(RecordFlag flag) {
        return flags.contains(flag);
    }
}

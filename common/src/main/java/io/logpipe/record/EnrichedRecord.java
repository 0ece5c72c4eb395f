package io.logpipe.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.logpipe.labels.LabelSet;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One log line as the stream-processor publishes it to {@code logs.enriched}: ready for Loki.
 * See docs/record-format.md.
 *
 * @param version format version, {@link RecordCodec#FORMAT_VERSION}
 * @param timestampNanos the source's own timestamp, nanoseconds since the epoch (Loki's entry timestamp)
 * @param labels the Loki stream labels, sanitised; their canonical form is the Kafka key
 * @param level the normalised level (also the {@code level} label)
 * @param line the line exactly as the source wrote it (decoded as UTF-8)
 * @param rawBytes the original bytes in base64 when they were not valid UTF-8, else null
 * @param metadata high-cardinality facts kept out of the labels (pod uid, pid, boot id, ...);
 *                 the sink sends them as Loki structured metadata
 * @param source the source identity the collector gave
 * @param flags carried over from the raw record
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record EnrichedRecord(
        @JsonProperty("v") int version,
        @JsonProperty("ts") long timestampNanos,
        @JsonProperty("labels") Map<String, String> labels,
        @JsonProperty("level") Level level,
        // always written: an empty line is a line, and readers require the field
        @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("line") String line,
        @JsonProperty("raw_bytes") String rawBytes,
        @JsonProperty("metadata") Map<String, String> metadata,
        @JsonProperty("source") String source,
        @JsonProperty("flags") Set<RecordFlag> flags) {

    public EnrichedRecord {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(line, "line");
        level = level == null ? Level.UNKNOWN : level;
        // a map already immutable and sorted (the processor reuses one per stream) is kept, not copied
        labels = RawRecord.sorted(labels);
        metadata = RawRecord.sorted(metadata);
        flags = flags == null || flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
    }

    /** The Loki stream this record belongs to. */
    public LabelSet stream() {
        return LabelSet.of(labels);
    }
}

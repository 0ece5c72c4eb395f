package io.logpipe.processor.errorrate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.RecordFormatException;
import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One closed event-time window of one rate group: the value of {@code logs.error-rates}
 * (key: the group's canonical label set). See docs/record-format.md.
 *
 * @param version format version, {@link RecordCodec#FORMAT_VERSION}
 * @param labels the rate group's labels
 * @param windowStart inclusive start, by the lines' own timestamps (ISO-8601, UTC)
 * @param windowEnd exclusive end (ISO-8601, UTC)
 * @param lines lines in the window
 * @param errors lines at level error or fatal
 */
public record ErrorRateWindow(
        @JsonProperty("v") int version,
        @JsonProperty("labels") Map<String, String> labels,
        @JsonProperty("window_start") String windowStart,
        @JsonProperty("window_end") String windowEnd,
        @JsonProperty("lines") long lines,
        @JsonProperty("errors") long errors) {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    public ErrorRateWindow {
        labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    public static ErrorRateWindow of(Map<String, String> labels, Instant start, Instant end, WindowCounts counts) {
        return new ErrorRateWindow(RecordCodec.FORMAT_VERSION, labels, start.toString(), end.toString(), counts.lines(), counts.errors());
    }

    public Instant start() {
        return Instant.parse(windowStart);
    }

    public Instant end() {
        return Instant.parse(windowEnd);
    }

    public static Serde<ErrorRateWindow> serde() {
        Serializer<ErrorRateWindow> serializer = (topic, window) -> window == null ? null : window.toJson();
        Deserializer<ErrorRateWindow> deserializer = (topic, bytes) -> bytes == null ? null : fromJson(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    public byte[] toJson() {
        try {
            return MAPPER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an error-rate window", e);
        }
    }

    public static ErrorRateWindow fromJson(byte[] bytes) {
        try {
            ErrorRateWindow window = MAPPER.readValue(bytes, ErrorRateWindow.class);
            if (window.version() != RecordCodec.FORMAT_VERSION) {
                throw new RecordFormatException("unsupported error-rate format version " + window.version());
            }
            return window;
        } catch (IOException e) {
            throw new RecordFormatException("not an error-rate window: " + e.getMessage(), e);
        }
    }
}

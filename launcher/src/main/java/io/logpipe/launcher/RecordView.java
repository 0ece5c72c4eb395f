package io.logpipe.launcher;

import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.RecordFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A topic value as {@code logpipe tail} sees it: the labels a selector matches against, the
 * line a filter searches, and one line of text for the terminal. Values that are not logpipe
 * records are shown as such with the reason, never a crash.
 */
record RecordView(Map<String, String> labels, String line, String display) {

    static RecordView of(byte[] value, int partition, long offset) {
        try {
            Object record = RecordCodec.decodeAny(value);
            if (record instanceof EnrichedRecord enriched) {
                Map<String, String> labels = new TreeMap<>(enriched.labels());
                labels.putIfAbsent("level", enriched.level().label());
                String display = time(enriched.timestampNanos()) + " " + pad(enriched.level().label().toUpperCase(), 5) + " "
                        + enriched.stream().canonical() + " " + enriched.line();
                return new RecordView(labels, enriched.line(), display);
            }
            RawRecord raw = (RawRecord) record;
            Map<String, String> labels = new TreeMap<>(raw.attributes());
            labels.putAll(raw.labels());
            labels.put("kind", raw.kind().label());
            String display = time(raw.timestampNanos()) + " raw   " + raw.kind().label() + " " + raw.source()
                    + (raw.labels().isEmpty() ? "" : " " + raw.labels()) + " " + raw.line();
            return new RecordView(labels, raw.line(), display);
        } catch (RecordFormatException e) {
            String text = value == null ? "(null)" : new String(value, StandardCharsets.UTF_8);
            String shown = text.length() > 200 ? text.substring(0, 200) + "…" : text;
            return new RecordView(Map.of(), text, "MALFORMED partition " + partition + " offset " + offset
                    + ": " + e.getMessage() + ": " + shown.replace('\n', ' '));
        }
    }

    boolean malformed() {
        return display.startsWith("MALFORMED");
    }

    private static String time(long nanos) {
        return Instant.ofEpochSecond(0, nanos).toString();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}

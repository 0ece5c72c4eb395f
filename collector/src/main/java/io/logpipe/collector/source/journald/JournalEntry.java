package io.logpipe.collector.source.journald;

import com.fasterxml.jackson.databind.JsonNode;
import io.logpipe.record.LineText;
import java.util.HashMap;
import java.util.Map;

/**
 * One line of {@code journalctl -o json}: field values are strings, arrays of numbers (binary
 * data: journalctl prints any field that is not valid text that way) or arrays of values (a
 * field given more than once). Binary values are decoded as UTF-8 with the original bytes
 * kept, so nothing is lost and nothing fails.
 */
record JournalEntry(String cursor, long timestampNanos, LineText message, Map<String, String> attributes, boolean hadBinary) {

    /** journald field → record attribute (docs/record-format.md). */
    private static final Map<String, String> ATTRIBUTES = Map.of(
            "_SYSTEMD_UNIT", "unit",
            "SYSLOG_IDENTIFIER", "syslog_identifier",
            "PRIORITY", "priority",
            "_PID", "pid",
            "_BOOT_ID", "boot_id",
            "_HOSTNAME", "hostname",
            "_TRANSPORT", "transport",
            "_COMM", "comm");

    /** @throws IllegalArgumentException when the entry has no cursor or timestamp */
    static JournalEntry of(JsonNode json) {
        String cursor = json.path("__CURSOR").asText(null);
        String realtime = json.path("__REALTIME_TIMESTAMP").asText(null);
        if (cursor == null || realtime == null) {
            throw new IllegalArgumentException("entry without __CURSOR or __REALTIME_TIMESTAMP");
        }
        long micros;
        try {
            micros = Long.parseLong(realtime);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("__REALTIME_TIMESTAMP is not a number: " + realtime);
        }
        boolean[] binary = {false};
        Map<String, String> attributes = new HashMap<>();
        ATTRIBUTES.forEach((field, attribute) -> {
            JsonNode value = json.get(field);
            if (value != null && !value.isNull()) {
                attributes.put(attribute, text(value, binary).text());
            }
        });
        JsonNode messageNode = json.get("MESSAGE");
        LineText message = messageNode == null || messageNode.isNull() ? new LineText("", null) : text(messageNode, binary);
        return new JournalEntry(cursor, micros * 1000, message, attributes, binary[0]);
    }

    private static LineText text(JsonNode value, boolean[] binary) {
        if (value.isTextual()) {
            return new LineText(value.textValue(), null);
        }
        if (value.isArray() && value.size() > 0 && value.get(0).isNumber()) {
            binary[0] = true;
            byte[] bytes = new byte[value.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) value.get(i).intValue();
            }
            return LineText.decode(bytes);
        }
        if (value.isArray()) {
            // the field was given several times: keep them all, one a line
            StringBuilder joined = new StringBuilder();
            String raw = null;
            for (JsonNode item : value) {
                LineText part = text(item, binary);
                joined.append(joined.length() == 0 ? "" : "\n").append(part.text());
                raw = raw == null ? part.rawBytesBase64() : raw;
            }
            return new LineText(joined.toString(), raw);
        }
        return new LineText(value.asText(), null);
    }

    /** The unit the entry belongs to, for the source identity: unit, else syslog identifier. */
    String unitOrIdentifier() {
        String unit = attributes.get("unit");
        if (unit != null) {
            return unit;
        }
        String identifier = attributes.get("syslog_identifier");
        return identifier != null ? identifier : "-";
    }
}

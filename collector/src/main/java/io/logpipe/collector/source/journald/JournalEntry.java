package io.logpipe.collector.source.journald;

import java.io.Closeable;
import java.io.IOException;
import java.util.Map;

/**
 * One entry of {@code journalctl -o json}, as {@link JournalReader} read it: the few fields a
 * record needs, and the MESSAGE in pieces of at most the source's {@code max_line_size}.
 *
 * @param cursor {@code __CURSOR}, the checkpoint once the entry is acknowledged
 * @param timestampNanos {@code __REALTIME_TIMESTAMP} × 1000
 * @param message MESSAGE (empty when the entry has none); its spill file is removed by {@link #close()}
 * @param attributes record attributes from the fields in {@link #ATTRIBUTES}
 * @param hadBinary some field was binary (not valid text): journalctl printed it as an array of numbers
 * @param bytes the characters of journalctl's output the entry took
 */
record JournalEntry(String cursor, long timestampNanos, MessagePieces message, Map<String, String> attributes, boolean hadBinary,
                    long bytes) implements Closeable {

    /** journald field → record attribute (docs/record-format.md). */
    static final Map<String, String> ATTRIBUTES = Map.of(
            "_SYSTEMD_UNIT", "unit",
            "SYSLOG_IDENTIFIER", "syslog_identifier",
            "PRIORITY", "priority",
            "_PID", "pid",
            "_BOOT_ID", "boot_id",
            "_HOSTNAME", "hostname",
            "_TRANSPORT", "transport",
            "_COMM", "comm");

    /** The unit the entry belongs to, for the source identity: unit, else syslog identifier. */
    String unitOrIdentifier() {
        String unit = attributes.get("unit");
        if (unit != null) {
            return unit;
        }
        String identifier = attributes.get("syslog_identifier");
        return identifier != null ? identifier : "-";
    }

    @Override
    public void close() throws IOException {
        message.close();
    }
}

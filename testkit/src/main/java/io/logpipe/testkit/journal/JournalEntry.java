package io.logpipe.testkit.journal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One journald entry in the journal export format, as systemd-journal-remote reads it.
 *
 * @param realtimeMicros {@code __REALTIME_TIMESTAMP}, microseconds since the epoch
 * @param fields the entry's fields ({@code _SYSTEMD_UNIT}, {@code PRIORITY}, ...), besides MESSAGE
 * @param message MESSAGE's bytes; when not printable text it is written as a binary field
 */
public record JournalEntry(long realtimeMicros, Map<String, String> fields, byte[] message) {

    public JournalEntry {
        fields = Map.copyOf(fields);
    }

    /** A service's text line with the usual trusted fields of the compute node. */
    public static JournalEntry ofUnit(long realtimeMicros, String unit, int priority, String message) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("_SYSTEMD_UNIT", unit);
        fields.put("SYSLOG_IDENTIFIER", unit.replace(".service", ""));
        fields.put("PRIORITY", Integer.toString(priority));
        fields.put("_PID", "4242");
        fields.put("_HOSTNAME", "pesubuntu");
        fields.put("_TRANSPORT", "stdout");
        return new JournalEntry(realtimeMicros, fields, message.getBytes(StandardCharsets.UTF_8));
    }

    /** The entry in export format, ending with the blank line that separates entries. */
    byte[] exportFormat(long monotonicMicros) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder text = new StringBuilder()
                .append("__REALTIME_TIMESTAMP=").append(realtimeMicros).append('\n')
                .append("__MONOTONIC_TIMESTAMP=").append(monotonicMicros).append('\n')
                .append("_BOOT_ID=0123456789abcdef0123456789abcdef\n");
        fields.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
        out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        if (isPlainText(message)) {
            out.writeBytes("MESSAGE=".getBytes(StandardCharsets.UTF_8));
            out.writeBytes(message);
            out.write('\n');
        } else {
            // a field that is not text: name, newline, 64-bit little-endian length, the bytes, newline
            out.writeBytes("MESSAGE\n".getBytes(StandardCharsets.UTF_8));
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(message.length).array());
            out.writeBytes(message);
            out.write('\n');
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static boolean isPlainText(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n' || b == 0 || (b & 0xff) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}

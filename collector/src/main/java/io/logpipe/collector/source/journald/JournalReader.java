package io.logpipe.collector.source.journald;

import io.logpipe.collector.tail.LongLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The entries of {@code journalctl -o json}, one after another, with memory bounded by the
 * source's {@code max_line_size} rather than by an entry's size. Field values are strings,
 * arrays of numbers (binary data: journalctl prints any field that is not valid text that way)
 * or arrays of values (a field given more than once, kept one a line). Only MESSAGE,
 * {@code __CURSOR}, {@code __REALTIME_TIMESTAMP} and the fields of
 * {@link JournalEntry#ATTRIBUTES} are read; every other field is skipped unread.
 */
final class JournalReader {
    /** The most kept of a field name, the cursor, the timestamp and an attribute: metadata, never large in practice. */
    static final int SMALL_FIELD = 4096;
    private final JsonScanner json;
    private final int maxLineSize;
    private final LongLines longLines;
    private final Path spillFile;

    /**
     * @param maxLineSize the most UTF-8 bytes of MESSAGE one record takes
     * @param spillFile where the pieces of a longer MESSAGE wait until the entry is read
     */
    JournalReader(InputStream journalctl, int maxLineSize, LongLines longLines, Path spillFile) {
        this.json = new JsonScanner(new InputStreamReader(journalctl, StandardCharsets.UTF_8));
        this.maxLineSize = maxLineSize;
        this.longLines = longLines;
        this.spillFile = spillFile;
    }

    /**
     * The next entry, or null at the end of the output. An entry that cannot be read throws,
     * and the reader goes on with the next line: journalctl writes one entry a line.
     */
    JournalEntry next() throws IOException, MalformedEntryException {
        if (json.peek() < 0) {
            return null;
        }
        long start = json.position();
        MessagePieces message = new MessagePieces(maxLineSize, longLines, spillFile);
        Map<String, String> fields = new HashMap<>();
        boolean binary;
        try {
            binary = readObject(message, fields);
        } catch (MalformedEntryException e) {
            message.close();
            json.skipLine();
            throw e;
        } catch (IOException | RuntimeException e) {
            message.close();
            throw e;
        }
        String cursor = fields.remove("__CURSOR");
        String realtime = fields.remove("__REALTIME_TIMESTAMP");
        try {
            if (cursor == null || cursor.isEmpty() || realtime == null) {
                throw new MalformedEntryException("entry without __CURSOR or __REALTIME_TIMESTAMP");
            }
            long micros;
            try {
                micros = Long.parseLong(realtime);
            } catch (NumberFormatException e) {
                throw new MalformedEntryException("__REALTIME_TIMESTAMP is not a number: " + realtime);
            }
            Map<String, String> attributes = new HashMap<>();
            fields.forEach((field, value) -> attributes.put(JournalEntry.ATTRIBUTES.get(field), value));
            return new JournalEntry(cursor, micros * 1000, message, attributes, binary, json.position() - start);
        } catch (MalformedEntryException e) {
            message.close();
            throw e;
        }
    }

    /** Reads one entry object: MESSAGE into {@code message}, the small fields into {@code fields}; true when any was binary. */
    private boolean readObject(MessagePieces message, Map<String, String> fields) throws IOException, MalformedEntryException {
        json.expect('{');
        boolean binary = false;
        if (json.empty('}')) {
            message.finish();
            return false;
        }
        do {
            String name = json.shortString(SMALL_FIELD);
            json.expect(':');
            if (name.equals("MESSAGE")) {
                value(message);
                binary |= message.hadBinary();
            } else if (name.equals("__CURSOR") || name.equals("__REALTIME_TIMESTAMP") || JournalEntry.ATTRIBUTES.containsKey(name)) {
                MessagePieces small = new MessagePieces(SMALL_FIELD, LongLines.TRUNCATE, null);
                if (value(small)) {
                    fields.put(name, small.text().text());
                }
                binary |= small.hadBinary();
            } else {
                json.skipValue();
            }
        } while (json.more('}'));
        message.finish(); // an entry without MESSAGE has an empty one
        return binary;
    }

    /**
     * Reads one field's value into {@code into}: a string; an array of numbers (binary); an
     * array of strings or number arrays (the field given more than once). False for null, which
     * journalctl prints for a value it does not show.
     */
    private boolean value(MessagePieces into) throws IOException, MalformedEntryException {
        int c = json.peek();
        if (c == '"') {
            json.string(into);
        } else if (c == '[') {
            json.expect('[');
            if (!json.empty(']')) {
                boolean firstValue = true;
                do {
                    int element = json.peek();
                    if (element == '"' || element == '[') {
                        if (!firstValue) {
                            into.nextValue();
                        }
                        firstValue = false;
                        if (element == '"') {
                            json.string(into);
                        } else {
                            binaryArray(into);
                        }
                    } else if (!json.nullValue()) {
                        into.binaryByte(json.integer());
                    }
                } while (json.more(']'));
            }
        } else if (json.nullValue()) {
            return false;
        } else {
            json.skipValue(); // a number or a boolean: journalctl prints none
        }
        into.finish();
        return true;
    }

    private void binaryArray(MessagePieces into) throws IOException, MalformedEntryException {
        json.expect('[');
        if (json.empty(']')) {
            return;
        }
        do {
            into.binaryByte(json.integer());
        } while (json.more(']'));
    }
}

package io.logpipe.collector.source.journald;

import java.io.IOException;
import java.io.Reader;

/**
 * The JSON tokens of journalctl's output, read with memory bounded by the read buffer, not by
 * the values: a string is handed to its {@link FieldValue} in chunks as it is read, and a value
 * nobody asked for is skipped without being kept. Jackson cannot do this: its parsers, even
 * {@code getText(Writer)}, collect a whole string value before handing it out, so a 10 MB
 * MESSAGE would be held whole (twice over, as chars) — the very thing to avoid in a 48 MB heap.
 *
 * <p>Only what JSON has is understood: objects, arrays, strings with every escape, numbers, and
 * {@code true}/{@code false}/{@code null}. A violation throws {@link MalformedEntryException};
 * {@link #skipLine()} then finds the next entry, as journalctl writes one entry a line and a
 * raw newline cannot occur inside a JSON value.
 */
final class JsonScanner {
    private static final int MAX_NUMBER = 64;
    private static final int MAX_DEPTH = 64;
    private final Reader in;
    private final char[] buffer = new char[8192];
    private final char[] escaped = new char[1];
    private int pos;
    private int end;
    private long filled;

    JsonScanner(Reader in) {
        this.in = in;
    }

    /** Characters consumed so far (the bytes-read counter: journalctl's output is mostly ASCII). */
    long position() {
        return filled - (end - pos);
    }

    /** The next character that is not white space, not consumed; -1 at the end of the stream. */
    int peek() throws IOException {
        while (true) {
            if (pos == end && !fill()) {
                return -1;
            }
            char c = buffer[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return c;
            }
            pos++;
        }
    }

    /** Consumes the next character that is not white space, which must be {@code expected}. */
    void expect(char expected) throws IOException, MalformedEntryException {
        int c = peek();
        if (c != expected) {
            throw new MalformedEntryException("expected '" + expected + "' but found " + describe(c));
        }
        pos++;
    }

    /**
     * Reads the string value that comes next, handing its text to {@code value} in chunks
     * ({@code null}: skip it).
     */
    void string(FieldValue value) throws IOException, MalformedEntryException {
        expect('"');
        while (true) {
            if (pos == end && !fill()) {
                throw new MalformedEntryException("the stream ended inside a string");
            }
            int start = pos;
            while (pos < end && buffer[pos] != '"' && buffer[pos] != '\\') {
                if (buffer[pos] < 0x20) {
                    throw new MalformedEntryException("a control character inside a string");
                }
                pos++;
            }
            if (pos > start && value != null) {
                value.text(buffer, start, pos - start);
            }
            if (pos == end) {
                continue;
            }
            char c = buffer[pos++];
            if (c == '"') {
                return;
            }
            escaped[0] = escape();
            if (value != null) {
                value.text(escaped, 0, 1);
            }
        }
    }

    private char escape() throws IOException, MalformedEntryException {
        int c = next();
        return switch (c) {
            case '"', '\\', '/' -> (char) c;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> {
                int code = 0;
                for (int i = 0; i < 4; i++) {
                    int digit = Character.digit(next(), 16);
                    if (digit < 0) {
                        throw new MalformedEntryException("a bad \\u escape");
                    }
                    code = code * 16 + digit;
                }
                yield (char) code;
            }
            default -> throw new MalformedEntryException("a bad escape \\" + describe(c));
        };
    }

    /** A short string (a field name): at most {@code max} characters are kept, the rest is read and dropped. */
    String shortString(int max) throws IOException, MalformedEntryException {
        StringBuilder text = new StringBuilder();
        string((chars, offset, length) -> text.append(chars, offset, Math.min(length, Math.max(0, max - text.length()))));
        return text.toString();
    }

    /** Reads the number that comes next as an int (a byte of a binary field). */
    int integer() throws IOException, MalformedEntryException {
        String number = numberToken();
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            throw new MalformedEntryException("not an integer: " + number);
        }
    }

    /** Skips the value that comes next, whatever it is, keeping nothing of it. */
    void skipValue() throws IOException, MalformedEntryException {
        boolean[] objects = new boolean[MAX_DEPTH]; // per open container: object (else array)
        int depth = 0;
        while (true) {
            int c = peek();
            if (c == '{' || c == '[') {
                pos++;
                if (depth == MAX_DEPTH) {
                    throw new MalformedEntryException("values nested deeper than " + MAX_DEPTH);
                }
                objects[depth++] = c == '{';
                if (peek() == (c == '{' ? '}' : ']')) {
                    pos++;
                    depth--;
                } else {
                    if (c == '{') {
                        string(null);
                        expect(':');
                    }
                    continue; // the first member's value, or the first element, is next
                }
            } else if (c == '"') {
                string(null);
            } else if (c == 't' || c == 'f' || c == 'n') {
                literal();
            } else {
                numberToken();
            }
            // a value ended: the next member or element of its container, or the container's end
            while (true) {
                if (depth == 0) {
                    return;
                }
                boolean object = objects[depth - 1];
                int after = peek();
                if (after == ',') {
                    pos++;
                    if (object) {
                        string(null);
                        expect(':');
                    }
                    break;
                }
                if (after != (object ? '}' : ']')) {
                    throw new MalformedEntryException("expected ',' or the end of " + (object ? "an object" : "an array")
                            + " but found " + describe(after));
                }
                pos++;
                depth--;
            }
        }
    }

    private void literal() throws IOException, MalformedEntryException {
        StringBuilder word = new StringBuilder();
        while (word.length() < 5 && (pos < end || fill()) && Character.isLetter(buffer[pos])) {
            word.append(buffer[pos++]);
        }
        String w = word.toString();
        if (!w.equals("true") && !w.equals("false") && !w.equals("null")) {
            throw new MalformedEntryException("not a JSON value: " + w);
        }
    }

    /**
     * After a member of an object or an element of an array: true when a comma (consumed) says
     * another one follows, false when {@code close} (consumed) ends the container.
     */
    boolean more(char close) throws IOException, MalformedEntryException {
        int c = peek();
        if (c == ',' || c == close) {
            pos++;
            return c == ',';
        }
        throw new MalformedEntryException("expected ',' or '" + close + "' but found " + describe(c));
    }

    /** Consumes {@code close} if it comes next: an empty object or array. */
    boolean empty(char close) throws IOException {
        if (peek() == close) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes {@code null} if that comes next. */
    boolean nullValue() throws IOException, MalformedEntryException {
        if (peek() != 'n') {
            return false;
        }
        literal();
        return true;
    }

    private String numberToken() throws IOException, MalformedEntryException {
        StringBuilder number = new StringBuilder();
        peek();
        while ((pos < end || fill()) && isNumberChar(buffer[pos])) {
            if (number.length() == MAX_NUMBER) {
                throw new MalformedEntryException("a number longer than " + MAX_NUMBER + " characters");
            }
            number.append(buffer[pos++]);
        }
        if (number.length() == 0) {
            throw new MalformedEntryException("expected a value but found " + describe(pos < end ? buffer[pos] : -1));
        }
        return number.toString();
    }

    private static boolean isNumberChar(char c) {
        return c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
    }

    /** Skips to the start of the next line: where the next entry begins after a malformed one. */
    void skipLine() throws IOException {
        while (pos < end || fill()) {
            if (buffer[pos++] == '\n') {
                return;
            }
        }
    }

    private int next() throws IOException, MalformedEntryException {
        if (pos == end && !fill()) {
            throw new MalformedEntryException("the stream ended inside a value");
        }
        return buffer[pos++];
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        pos = 0;
        end = Math.max(n, 0);
        filled += end;
        return n > 0;
    }

    private static String describe(int c) {
        return c < 0 ? "the end of the stream" : "'" + (char) c + "'";
    }

    /** Where a string's text goes, chunk by chunk. */
    @FunctionalInterface
    interface FieldValue {
        void text(char[] chars, int offset, int length);
    }
}

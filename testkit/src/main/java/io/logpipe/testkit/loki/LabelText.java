package io.logpipe.testkit.loki;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses a stream's label text, {@code {a="b", c="d"}}, the way Loki's distributor does, with its
 * error text ({@code 1:5: parse error: unexpected character inside braces: '-'}). Order and
 * duplicates are kept: validation comes after.
 */
final class LabelText {
    private final String text;
    private int pos;

    private LabelText(String text) {
        this.text = text;
    }

    static final class ParseError extends Exception {
        private static final long serialVersionUID = 1L;

        ParseError(String message) {
            super(message);
        }
    }

    static List<Map.Entry<String, String>> parse(String text) throws ParseError {
        return new LabelText(text).labels();
    }

    private List<Map.Entry<String, String>> labels() throws ParseError {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        skipSpaces();
        expect('{');
        skipSpaces();
        if (peek() == '}') {
            pos++;
            return out;
        }
        while (true) {
            skipSpaces();
            String name = name();
            skipSpaces();
            expect('=');
            skipSpaces();
            out.add(new AbstractMap.SimpleImmutableEntry<>(name, quoted()));
            skipSpaces();
            char c = peek();
            pos++;
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                throw error(pos - 1, c == 0 ? "unexpected end of input" : "unexpected character inside braces: '" + c + "'");
            }
        }
    }

    private String name() throws ParseError {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            boolean letter = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean digit = c >= '0' && c <= '9';
            if (letter || (digit && pos > start)) {
                pos++;
            } else {
                break;
            }
        }
        if (pos == start || (pos < text.length() && text.charAt(pos) != '=' && text.charAt(pos) != ' ')) {
            char c = pos < text.length() ? text.charAt(pos) : 0;
            throw error(pos, c == 0 ? "unexpected end of input" : "unexpected character inside braces: '" + c + "'");
        }
        return text.substring(start, pos);
    }

    private String quoted() throws ParseError {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return value.toString();
            }
            if (c == '\\' && pos < text.length()) {
                char escaped = text.charAt(pos++);
                value.append(switch (escaped) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> escaped;
                });
            } else {
                value.append(c);
            }
        }
        throw error(pos, "literal not terminated");
    }

    private void expect(char wanted) throws ParseError {
        char c = peek();
        if (c != wanted) {
            throw error(pos, c == 0 ? "unexpected end of input" : "unexpected character inside braces: '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private static ParseError error(int index, String what) {
        return new ParseError("1:" + (index + 1) + ": parse error: " + what);
    }
}

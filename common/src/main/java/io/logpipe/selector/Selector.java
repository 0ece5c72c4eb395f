package io.logpipe.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A LogQL-style stream selector with optional line filters, as {@code logpipe tail} and
 * {@code logpipe replay} take it: {@code {namespace="homelab", level=~"error|warn"} |= "timeout" != "health"}.
 * Label regexes are anchored as in Loki; a missing label matches as the empty string, as in Loki.
 */
public record Selector(List<Matcher> matchers, List<LineFilter> lineFilters) {

    /** Matches every record. */
    public static final Selector ALL = new Selector(List.of(), List.of());

    public Selector {
        matchers = List.copyOf(matchers);
        lineFilters = List.copyOf(lineFilters);
    }

    public boolean matches(Map<String, String> labels, String line) {
        for (Matcher matcher : matchers) {
            if (!matcher.matches(labels.getOrDefault(matcher.name(), ""))) {
                return false;
            }
        }
        for (LineFilter filter : lineFilters) {
            if (!filter.matches(line)) {
                return false;
            }
        }
        return true;
    }

    public enum MatchOp { EQ, NEQ, RE, NRE }

    public record Matcher(String name, MatchOp op, String value, Pattern pattern) {
        boolean matches(String actual) {
            return switch (op) {
                case EQ -> actual.equals(value);
                case NEQ -> !actual.equals(value);
                case RE -> pattern.matcher(actual).matches();
                case NRE -> !pattern.matcher(actual).matches();
            };
        }
    }

    public enum FilterOp { CONTAINS, NOT_CONTAINS, RE, NRE }

    public record LineFilter(FilterOp op, String value, Pattern pattern) {
        boolean matches(String line) {
            return switch (op) {
                case CONTAINS -> line.contains(value);
                case NOT_CONTAINS -> !line.contains(value);
                case RE -> pattern.matcher(line).find();
                case NRE -> !pattern.matcher(line).find();
            };
        }
    }

    /** Parses a selector; throws {@link IllegalArgumentException} naming the position and what was expected. */
    public static Selector parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        return new Parser(text).parse();
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Selector parse() {
            List<Matcher> matchers = new ArrayList<>();
            List<LineFilter> filters = new ArrayList<>();
            skipSpace();
            if (peek() == '{') {
                pos++;
                skipSpace();
                while (peek() != '}') {
                    matchers.add(matcher());
                    skipSpace();
                    if (peek() == ',') {
                        pos++;
                        skipSpace();
                    } else if (peek() != '}') {
                        throw error("expected ',' or '}'");
                    }
                }
                pos++;
            }
            skipSpace();
            while (pos < text.length()) {
                filters.add(lineFilter());
                skipSpace();
            }
            return new Selector(matchers, filters);
        }

        private Matcher matcher() {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a label name");
            }
            String name = text.substring(start, pos);
            skipSpace();
            MatchOp op;
            if (text.startsWith("=~", pos)) {
                op = MatchOp.RE;
                pos += 2;
            } else if (text.startsWith("!~", pos)) {
                op = MatchOp.NRE;
                pos += 2;
            } else if (text.startsWith("!=", pos)) {
                op = MatchOp.NEQ;
                pos += 2;
            } else if (text.startsWith("=", pos)) {
                op = MatchOp.EQ;
                pos += 1;
            } else {
                throw error("expected one of = != =~ !~ after label '" + name + "'");
            }
            skipSpace();
            String value = quoted();
            Pattern pattern = op == MatchOp.RE || op == MatchOp.NRE ? compile(value) : null;
            return new Matcher(name, op, value, pattern);
        }

        private LineFilter lineFilter() {
            FilterOp op;
            if (text.startsWith("|=", pos)) {
                op = FilterOp.CONTAINS;
            } else if (text.startsWith("!=", pos)) {
                op = FilterOp.NOT_CONTAINS;
            } else if (text.startsWith("|~", pos)) {
                op = FilterOp.RE;
            } else if (text.startsWith("!~", pos)) {
                op = FilterOp.NRE;
            } else {
                throw error("expected a line filter (|= != |~ !~)");
            }
            pos += 2;
            skipSpace();
            String value = quoted();
            Pattern pattern = op == FilterOp.RE || op == FilterOp.NRE ? compile(value) : null;
            return new LineFilter(op, value, pattern);
        }

        private Pattern compile(String regex) {
            try {
                return Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw error("bad regular expression \"" + regex + "\": " + e.getDescription());
            }
        }

        private String quoted() {
            char quote = peek();
            if (quote != '"' && quote != '`') {
                throw error("expected a quoted string");
            }
            pos++;
            StringBuilder out = new StringBuilder();
            while (pos < text.length()) {
                char c = text.charAt(pos++);
                if (c == quote) {
                    return out.toString();
                }
                if (c == '\\' && quote == '"' && pos < text.length()) {
                    char escaped = text.charAt(pos++);
                    switch (escaped) {
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        default -> out.append(escaped);
                    }
                } else {
                    out.append(c);
                }
            }
            throw error("unterminated string");
        }

        private char peek() {
            if (pos >= text.length()) {
                throw error("unexpected end");
            }
            return text.charAt(pos);
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad selector at column " + (pos + 1) + ": " + what + " in: " + text);
        }
    }
}

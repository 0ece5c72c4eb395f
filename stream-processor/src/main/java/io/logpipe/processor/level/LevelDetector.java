package io.logpipe.processor.level;

import io.logpipe.record.Level;
import io.logpipe.record.RawRecord;
import io.logpipe.record.SourceKind;

/**
 * Finds a line's format and maps its severity to one normalised {@link Level}.
 *
 * <p>Every rule is a scan over the line's characters: no regular expression, no JSON parse, no
 * copy of the line. That keeps the processor close to a plain copy of {@code logs.raw} in
 * throughput (see BENCHMARKS.md). The line itself is never changed.
 *
 * <p>Rules, first match wins:
 * <ol>
 *   <li>journald: a {@code PRIORITY} other than 6 (info) was set on purpose by the writer and wins;
 *       at 6, the default for a service's stdout, the line's own level is more precise and only
 *       when the line has none does 6 give {@code info}.</li>
 *   <li>Kubernetes events: {@code type} Warning is {@code warn}, Normal is {@code info}.</li>
 *   <li>JSON object: the first of the keys {@code level}, {@code lvl}, {@code severity},
 *       {@code log.level}, {@code levelname} (nested objects included) with a known word or a
 *       pino/bunyan number.</li>
 *   <li>klog/glog: {@code Lmmdd hh:mm:ss.uuuuuu} with L one of I, W, E, F.</li>
 *   <li>logfmt: {@code level=} or {@code lvl=} as a key.</li>
 *   <li>Logger prefix within the first {@value #PREFIX_SCAN} characters: an upper case level word
 *       standing alone ({@code  ERROR }, {@code WARN:}, {@code [INFO]}), or any case in brackets
 *       ({@code [warn]}).</li>
 * </ol>
 */
public final class LevelDetector {
    static final int PREFIX_SCAN = 200;
    private static final String[] JSON_KEYS = {"\"level\"", "\"lvl\"", "\"severity\"", "\"log.level\"", "\"levelname\""};
    private static final String[] LOGFMT_KEYS = {"level=", "lvl="};
    private static final int JOURNALD_DEFAULT_PRIORITY = 6;

    public DetectedLevel detect(RawRecord record) {
        if (record.kind() == SourceKind.JOURNALD) {
            int priority = priority(record.attributes().get("priority"));
            if (priority >= 0 && priority != JOURNALD_DEFAULT_PRIORITY) {
                return new DetectedLevel(LevelWords.syslogPriority(priority), LineFormat.JOURNALD_PRIORITY);
            }
            DetectedLevel fromLine = detect(record.line());
            if (fromLine.level() == Level.UNKNOWN && priority == JOURNALD_DEFAULT_PRIORITY) {
                return new DetectedLevel(Level.INFO, LineFormat.JOURNALD_PRIORITY);
            }
            return fromLine;
        }
        if (record.kind() == SourceKind.K8S_EVENT) {
            String type = record.attributes().get("type");
            if ("Warning".equals(type)) {
                return new DetectedLevel(Level.WARN, LineFormat.KUBERNETES_EVENT);
            } else if ("Normal".equals(type)) {
                return new DetectedLevel(Level.INFO, LineFormat.KUBERNETES_EVENT);
            }
        }
        return detect(record.line());
    }

    /** The level of a line on its own, without what the source knows about it. */
    public DetectedLevel detect(String line) {
        int start = skipSpaces(line, 0);
        if (start < line.length() && line.charAt(start) == '{') {
            Level level = jsonLevel(line);
            if (level != null) {
                return new DetectedLevel(level, LineFormat.JSON);
            }
        }
        Level level = klogLevel(line, start);
        if (level != null) {
            return new DetectedLevel(level, LineFormat.KLOG);
        }
        level = logfmtLevel(line);
        if (level != null) {
            return new DetectedLevel(level, LineFormat.LOGFMT);
        }
        level = prefixLevel(line);
        if (level != null) {
            return new DetectedLevel(level, LineFormat.LOGGER_PREFIX);
        }
        return DetectedLevel.NONE;
    }

    private static Level jsonLevel(String line) {
        for (String key : JSON_KEYS) {
            int from = 0;
            int at;
            while ((at = line.indexOf(key, from)) >= 0) {
                from = at + key.length();
                if (escaped(line, at)) {
                    continue;
                }
                int value = skipSpaces(line, from);
                if (value >= line.length() || line.charAt(value) != ':') {
                    continue;
                }
                value = skipSpaces(line, value + 1);
                Level level = jsonValueLevel(line, value);
                if (level != null) {
                    return level;
                }
            }
        }
        return null;
    }

    /** A quote preceded by an odd number of backslashes is inside a string, not a key. */
    private static boolean escaped(String line, int quote) {
        int backslashes = 0;
        for (int i = quote - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return (backslashes & 1) == 1;
    }

    private static Level jsonValueLevel(String line, int at) {
        if (at >= line.length()) {
            return null;
        }
        char first = line.charAt(at);
        if (first == '"') {
            int end = line.indexOf('"', at + 1);
            return end < 0 ? null : LevelWords.lookup(line, at + 1, end);
        }
        if (first >= '0' && first <= '9') {
            long number = 0;
            for (int i = at; i < line.length() && i < at + 4 && Character.isDigit(line.charAt(i)); i++) {
                number = number * 10 + (line.charAt(i) - '0');
            }
            return LevelWords.numeric(number);
        }
        return null;
    }

    private static Level klogLevel(String line, int at) {
        // Lmmdd hh:mm:ss.uuuuuu: 21 characters
        if (line.length() < at + 21) {
            return null;
        }
        Level level = switch (line.charAt(at)) {
            case 'I' -> Level.INFO;
            case 'W' -> Level.WARN;
            case 'E' -> Level.ERROR;
            case 'F' -> Level.FATAL;
            default -> null;
        };
        if (level == null
                || !digits(line, at + 1, 4) || line.charAt(at + 5) != ' '
                || !digits(line, at + 6, 2) || line.charAt(at + 8) != ':'
                || !digits(line, at + 9, 2) || line.charAt(at + 11) != ':'
                || !digits(line, at + 12, 2) || line.charAt(at + 14) != '.'
                || !digits(line, at + 15, 6)) {
            return null;
        }
        return level;
    }

    private static Level logfmtLevel(String line) {
        for (String key : LOGFMT_KEYS) {
            int from = 0;
            int at;
            while ((at = line.indexOf(key, from)) >= 0) {
                from = at + key.length();
                if (at > 0 && line.charAt(at - 1) != ' ' && line.charAt(at - 1) != '\t') {
                    continue;
                }
                int start = from;
                int end;
                if (start < line.length() && line.charAt(start) == '"') {
                    start++;
                    end = line.indexOf('"', start);
                    if (end < 0) {
                        continue;
                    }
                } else {
                    end = start;
                    while (end < line.length() && line.charAt(end) != ' ' && line.charAt(end) != '\t') {
                        end++;
                    }
                }
                Level level = LevelWords.lookup(line, start, end);
                if (level != null) {
                    return level;
                }
            }
        }
        return null;
    }

    private static Level prefixLevel(String line) {
        int limit = Math.min(line.length(), PREFIX_SCAN);
        int i = 0;
        while (i < limit) {
            if (!isLetter(line.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < line.length() && (isLetter(line.charAt(i)) || Character.isDigit(line.charAt(i)))) {
                i++;
            }
            char before = start == 0 ? ' ' : line.charAt(start - 1);
            char after = i == line.length() ? ' ' : line.charAt(i);
            boolean bracketed = before == '[' && after == ']';
            boolean standsAlone = (before == ' ' || before == '[' || before == '|' || before == '\t')
                    && (after == ' ' || after == ']' || after == ':' || after == '|' || after == '\t');
            if (bracketed || (standsAlone && LevelWords.isUpperCase(line, start, i))) {
                Level level = LevelWords.lookup(line, start, i);
                if (level != null) {
                    return level;
                }
            }
        }
        return null;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean digits(String line, int from, int count) {
        for (int i = from; i < from + count; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int skipSpaces(String line, int from) {
        int i = from;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int priority(String value) {
        if (value == null || value.length() != 1 || value.charAt(0) < '0' || value.charAt(0) > '7') {
            return -1;
        }
        return value.charAt(0) - '0';
    }
}

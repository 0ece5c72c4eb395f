package io.logpipe.processor.level;

import io.logpipe.record.Level;
import java.util.HashMap;
import java.util.Map;

/**
 * The words loggers use for severities, mapped to the normalised {@link Level}. Matching is
 * case-insensitive and needs no allocation: lines are scanned in place.
 */
final class LevelWords {
    private static final int LONGEST = 13;
    private static final Map<String, Level> WORDS = new HashMap<>();

    static {
        put(Level.TRACE, "trace", "trc", "finest", "finer", "verbose");
        put(Level.DEBUG, "debug", "dbg", "fine", "debug1", "debug2", "debug3", "debug4", "debug5");
        put(Level.INFO, "info", "inf", "information", "informational", "notice", "log");
        put(Level.WARN, "warn", "warning", "wrn");
        put(Level.ERROR, "error", "err", "eror", "severe");
        put(Level.FATAL, "fatal", "ftl", "crit", "critical", "alert", "emerg", "emergency", "panic");
    }

    private LevelWords() {
    }

    private static void put(Level level, String... words) {
        for (String word : words) {
            WORDS.put(word, level);
        }
    }

    /** The level {@code text[start, end)} names, or null when it names none. */
    static Level lookup(CharSequence text, int start, int end) {
        int length = end - start;
        if (length < 3 || length > LONGEST) {
            return null;
        }
        char[] lower = new char[length];
        for (int i = 0; i < length; i++) {
            char c = text.charAt(start + i);
            lower[i] = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
        }
        return WORDS.get(new String(lower));
    }

    /** True when {@code text[start, end)} is all upper case letters and digits (how loggers print bare levels). */
    static boolean isUpperCase(CharSequence text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** pino/bunyan numeric levels: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
    static Level numeric(long value) {
        if (value >= 60) {
            return Level.FATAL;
        } else if (value >= 50) {
            return Level.ERROR;
        } else if (value >= 40) {
            return Level.WARN;
        } else if (value >= 30) {
            return Level.INFO;
        } else if (value >= 20) {
            return Level.DEBUG;
        } else if (value >= 10) {
            return Level.TRACE;
        }
        return null;
    }

    /** syslog/journald PRIORITY: 0 emerg, 1 alert, 2 crit, 3 err, 4 warning, 5 notice, 6 info, 7 debug. */
    static Level syslogPriority(int priority) {
        return switch (priority) {
            case 0, 1, 2 -> Level.FATAL;
            case 3 -> Level.ERROR;
            case 4 -> Level.WARN;
            case 5, 6 -> Level.INFO;
            case 7 -> Level.DEBUG;
            default -> null;
        };
    }
}

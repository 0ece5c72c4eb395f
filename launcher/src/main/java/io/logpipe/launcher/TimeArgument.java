package io.logpipe.launcher;

import io.logpipe.config.Durations;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** A point in time on the command line: {@code 2026-11-24T10:00:00Z}, {@code 2026-11-24T10:00} (UTC) or {@code 15m} (ago). */
final class TimeArgument {
    private TimeArgument() {
    }

    static Instant parse(String text, Instant now) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return now.minus(Durations.parse(text));
                } catch (IllegalArgumentException notDuration) {
                    throw new IllegalArgumentException("'" + text + "' is not a time: give 2026-11-24T10:00:00Z, "
                            + "2026-11-24T10:00 (UTC) or a duration ago such as 15m or 2h");
                }
            }
        }
    }
}

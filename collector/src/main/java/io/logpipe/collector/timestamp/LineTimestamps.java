package io.logpipe.collector.timestamp;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds and parses the timestamp in a file line as a {@link TimestampConfig} says. A line
 * without one gets -1 and the caller uses the read time (flag {@code read_time}). Formats
 * without a year (classic syslog) take the current year, or the last one for a date that
 * would lie more than a day ahead (lines of 31 December read on 1 January).
 */
public final class LineTimestamps {
    private final Pattern regex;
    private final String format;
    private final ZoneId zone;
    private final Clock clock;
    private final Rfc3339 rfc3339 = new Rfc3339();
    // one instance per file, used by its reader thread only: the formatter is made again when the
    // year (in the lines' zone) changes, because a file stays open across New Year
    private DateTimeFormatter formatter;
    private int formatterYear;

    public LineTimestamps(TimestampConfig config, Clock clock) {
        this.regex = Pattern.compile(config.regex());
        this.format = config.format();
        this.zone = ZoneId.of(config.zone());
        this.clock = clock;
    }

    /** Nanoseconds since the epoch, or -1 when the line has no timestamp in the configured form. */
    public long parse(String line) {
        Matcher m = regex.matcher(line);
        if (!m.find() || m.group(1) == null) {
            return -1;
        }
        String text = m.group(1);
        try {
            return switch (format) {
                case "rfc3339" -> rfc3339.parseNanos(text);
                case "unix" -> (long) (Double.parseDouble(text) * 1e6) * 1000L;
                case "unix_ms" -> Long.parseLong(text) * 1_000_000L;
                default -> withFormatter(text);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            return -1;
        }
    }

    private long withFormatter(String text) {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
        var parsed = formatter(now.getYear()).parseBest(text, ZonedDateTime::from, LocalDateTime::from);
        ZonedDateTime time = parsed instanceof ZonedDateTime zoned ? zoned : ((LocalDateTime) parsed).atZone(zone);
        if (time.isAfter(now.plusDays(1))) {
            time = time.minusYears(1);
        }
        return time.toEpochSecond() * 1_000_000_000L + time.getNano();
    }

    /** The configured pattern, with {@code year} (this year in the lines' zone) for a pattern that has none. */
    private DateTimeFormatter formatter(int year) {
        if (formatter == null || year != formatterYear) {
            formatter = new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(format)
                    .parseDefaulting(ChronoField.YEAR_OF_ERA, year)
                    .toFormatter(java.util.Locale.ROOT);
            formatterYear = year;
        }
        return formatter;
    }
}

package io.logpipe.collector.timestamp;

import static io.logpipe.config.ConfigException.require;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A file source's {@code timestamp:} block: where the time is in a line and how it is written.
 *
 * @param regex a regular expression whose first group is the timestamp; default: the line's first word
 * @param format {@code rfc3339} (default), {@code unix} (seconds, fraction allowed), {@code unix_ms},
 *               or a {@link DateTimeFormatter} pattern such as {@code MMM ppd HH:mm:ss} (classic syslog)
 * @param zone the zone of timestamps that carry none; default the system zone
 */
public record TimestampConfig(String regex, String format, String zone) {

    public TimestampConfig {
        regex = regex == null || regex.isBlank() ? "^(\\S+)" : regex;
        format = format == null || format.isBlank() ? "rfc3339" : format;
        zone = zone == null || zone.isBlank() ? ZoneId.systemDefault().getId() : zone;
        try {
            Pattern compiled = Pattern.compile(regex);
            require(compiled.matcher("").groupCount() >= 1, "regex", "needs a group around the timestamp, e.g. ^(\\S+)");
        } catch (PatternSyntaxException e) {
            throw new io.logpipe.config.ConfigException.InvalidValue("regex", "not a regular expression: " + e.getDescription());
        }
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new io.logpipe.config.ConfigException.InvalidValue("zone", "unknown time zone '" + zone + "'");
        }
        if (!format.equals("rfc3339") && !format.equals("unix") && !format.equals("unix_ms")) {
            try {
                DateTimeFormatter.ofPattern(format);
            } catch (IllegalArgumentException e) {
                throw new io.logpipe.config.ConfigException.InvalidValue("format", "not rfc3339, unix, unix_ms or a date-time pattern: "
                        + e.getMessage());
            }
        }
    }
}

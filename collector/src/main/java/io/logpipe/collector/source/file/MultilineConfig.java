package io.logpipe.collector.source.file;

import static io.logpipe.config.ConfigException.require;

import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A file source's {@code multiline:} block: lines that do not match {@code start_pattern} are
 * joined to the record before them (stack traces).
 *
 * @param startPattern a regular expression that matches the first line of a record
 * @param maxLines the most lines in one record; default 500
 * @param timeout a record waiting for continuation lines this long is shipped; default 3s
 */
public record MultilineConfig(String startPattern, Integer maxLines, Duration timeout) {

    public MultilineConfig {
        require(startPattern != null && !startPattern.isBlank(), "start_pattern", "is required for multiline");
        try {
            Pattern.compile(startPattern);
        } catch (PatternSyntaxException e) {
            throw new io.logpipe.config.ConfigException.InvalidValue("start_pattern", "not a regular expression: " + e.getDescription());
        }
        maxLines = maxLines == null ? 500 : maxLines;
        timeout = timeout == null ? Duration.ofSeconds(3) : timeout;
        require(maxLines >= 2, "max_lines", "must be at least 2");
    }
}

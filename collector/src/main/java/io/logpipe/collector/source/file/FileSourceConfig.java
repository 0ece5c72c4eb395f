package io.logpipe.collector.source.file;

import static io.logpipe.config.ConfigException.require;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.logpipe.collector.tail.LongLines;
import io.logpipe.collector.tail.TailSettings;
import io.logpipe.collector.timestamp.TimestampConfig;
import io.logpipe.config.ByteSize;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code sources.files[]} entry: plain log files by glob.
 *
 * @param name the source's name (metrics, checkpoints); required
 * @param paths globs, e.g. {@code /var/log/syslog}, {@code /var/log/ollama/*.log}; required
 * @param labels static labels on every record ({@code job}, {@code host}, {@code service}, ...)
 * @param maxLineSize the most bytes of one line, and of one multiline record; default 256KiB
 * @param longLines split (default) or truncate a longer line
 * @param multiline join continuation lines to the record they belong to; off by default
 * @param timestamp parse each line's timestamp; off by default (the read time is used)
 * @param startAt where a file found at the very first start is read from: beginning (default) or end
 * @param pollInterval pause when no file grew; default 250ms
 * @param scanInterval how often the globs are matched again; default 5s
 */
public record FileSourceConfig(String name, List<String> paths, Map<String, String> labels, ByteSize maxLineSize,
                               LongLines longLines, MultilineConfig multiline, TimestampConfig timestamp, StartAt startAt,
                               Duration pollInterval, Duration scanInterval) {

    public enum StartAt {
        BEGINNING, END;

        @JsonValue
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static StartAt of(String name) {
            for (StartAt s : values()) {
                if (s.configName().equalsIgnoreCase(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown start_at '" + name + "' (allowed: beginning, end)");
        }
    }

    public FileSourceConfig {
        require(name != null && !name.isBlank(), "name", "every files source needs a name");
        require(paths != null && !paths.isEmpty(), "paths", "every files source needs at least one path or glob");
        paths = List.copyOf(paths);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        maxLineSize = maxLineSize == null ? ByteSize.parse("256KiB") : maxLineSize;
        longLines = longLines == null ? LongLines.SPLIT : longLines;
        startAt = startAt == null ? StartAt.BEGINNING : startAt;
        pollInterval = pollInterval == null ? Duration.ofMillis(250) : pollInterval;
        scanInterval = scanInterval == null ? Duration.ofSeconds(5) : scanInterval;
        require(maxLineSize.bytes() >= 16 && maxLineSize.bytes() <= 4L * 1024 * 1024, "max_line_size", "must be between 16B and 4MiB");
    }

    TailSettings tailSettings() {
        return new TailSettings(maxLineSize.asInt(), longLines, pollInterval, scanInterval, startAt == StartAt.END);
    }
}

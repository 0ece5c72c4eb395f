package io.logpipe.collector.source.journald;

import static io.logpipe.config.ConfigException.require;

import io.logpipe.collector.tail.LongLines;
import io.logpipe.config.ByteSize;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code sources.journald[]} entry, read through {@code journalctl -o json --follow}.
 *
 * @param name the source's name (metrics, checkpoints); default {@code journald}
 * @param units only these units ({@code -u}); default all
 * @param directory read the journal files in this directory ({@code --directory}) instead of the system journal
 * @param files read these journal files ({@code --file}) instead of the system journal
 * @param maxAge at the very first start (no cursor saved), read entries this old at most; default 12h
 * @param labels static labels on every record ({@code job: systemd-journal}, {@code host: pesubuntu})
 * @param journalctl the journalctl binary; default {@code journalctl}
 * @param restartDelay pause before journalctl is started again after it ended; default 1s
 * @param maxLineSize the most bytes of one entry's MESSAGE in one record; default 256KiB, as the file sources
 * @param longLines split (default) a longer MESSAGE into several records, or truncate it
 */
public record JournaldSourceConfig(String name, List<String> units, String directory, List<String> files, Duration maxAge,
                                   Map<String, String> labels, String journalctl, Duration restartDelay, ByteSize maxLineSize,
                                   LongLines longLines) {

    public JournaldSourceConfig {
        name = name == null || name.isBlank() ? "journald" : name;
        units = units == null ? List.of() : List.copyOf(units);
        files = files == null ? List.of() : List.copyOf(files);
        maxAge = maxAge == null ? Duration.ofHours(12) : maxAge;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        journalctl = journalctl == null || journalctl.isBlank() ? "journalctl" : journalctl;
        restartDelay = restartDelay == null ? Duration.ofSeconds(1) : restartDelay;
        maxLineSize = maxLineSize == null ? ByteSize.parse("256KiB") : maxLineSize;
        longLines = longLines == null ? LongLines.SPLIT : longLines;
        require(directory == null || files.isEmpty(), "directory", "give directory or files, not both");
        require(!maxAge.isNegative(), "max_age", "cannot be negative");
        require(maxLineSize.bytes() >= 1024 && maxLineSize.bytes() <= 4L * 1024 * 1024, "max_line_size", "must be between 1KiB and 4MiB");
    }
}

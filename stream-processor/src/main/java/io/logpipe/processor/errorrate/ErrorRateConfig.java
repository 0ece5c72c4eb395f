package io.logpipe.processor.errorrate;

import static io.logpipe.config.ConfigException.require;

import java.time.Duration;
import java.util.List;

/**
 * The {@code error_rates:} block.
 *
 * @param window size of the event-time windows published to {@code logs.error-rates}
 * @param grace how late (by event time) a line may arrive and still count in its window; a
 *              window is published once, when its end plus grace has passed
 * @param maxSeries distinct rate groups the per-group metrics may have; lines of further groups
 *                  count in one series with every group label {@value SeriesCap#FOLDED}
 * @param linePatterns lines to count by selector (the plan's disk-space alert)
 */
public record ErrorRateConfig(Duration window, Duration grace, Integer maxSeries, List<LinePattern> linePatterns) {
    public static final ErrorRateConfig DEFAULTS = new ErrorRateConfig(null, null, null, null);

    public ErrorRateConfig {
        window = window == null ? Duration.ofMinutes(1) : window;
        grace = grace == null ? Duration.ofMinutes(2) : grace;
        maxSeries = maxSeries == null ? 500 : maxSeries;
        linePatterns = linePatterns == null ? List.of(LinePattern.DISK_SPACE) : List.copyOf(linePatterns);
        require(window.toMillis() >= 1000, "window", "must be at least 1s, was " + window);
        require(!grace.isNegative(), "grace", "cannot be negative");
        require(maxSeries >= 1, "max_series", "must be at least 1, was " + maxSeries);
        require(linePatterns.stream().map(LinePattern::name).distinct().count() == linePatterns.size(),
                "line_patterns", "pattern names must be unique");
    }
}

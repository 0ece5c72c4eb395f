package io.logpipe.sink.admission;

import static io.logpipe.config.ConfigException.require;

/**
 * Loki's per-stream label limits (its {@code limits_config}), checked before sending so that
 * a stream Loki would refuse goes straight to the DLQ: the {@code label_limits:} block.
 * Defaults are Loki's defaults.
 */
public record LabelLimits(Integer maxNamesPerSeries, Integer maxNameLength, Integer maxValueLength) {
    public static final LabelLimits LOKI_DEFAULTS = new LabelLimits(null, null, null);

    public LabelLimits {
        maxNamesPerSeries = maxNamesPerSeries == null ? 30 : maxNamesPerSeries;
        maxNameLength = maxNameLength == null ? 1024 : maxNameLength;
        maxValueLength = maxValueLength == null ? 2048 : maxValueLength;
        require(maxNamesPerSeries > 0, "max_names_per_series", "must be positive");
        require(maxNameLength > 0, "max_name_length", "must be positive");
        require(maxValueLength > 0, "max_value_length", "must be positive");
    }
}

package io.logpipe.collector.metrics;

import io.micrometer.core.instrument.Counter;

/** The counters one source updates for every record it reads. */
public record SourceMeters(Counter linesRead, Counter bytesRead) {
}

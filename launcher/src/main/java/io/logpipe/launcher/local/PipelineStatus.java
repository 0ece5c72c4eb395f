package io.logpipe.launcher.local;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The one-line status {@code logpipe local} prints periodically, read from the components'
 * own meters in the shared registry, so the line and {@code /metrics} never disagree.
 */
final class PipelineStatus {
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final MeterRegistry registry;
    private final Deque<long[]> errorSamples = new ArrayDeque<>();

    PipelineStatus(MeterRegistry registry) {
        this.registry = registry;
    }

    long collected() {
        return (long) sumCounters("logpipe.collector.lines.read");
    }

    long enriched() {
        return (long) sumCounters("logpipe_processor_lines");
    }

    long pushed() {
        return (long) sumCounters("logpipe.sink.pushed.lines");
    }

    long waiting() {
        return (long) registry.find("logpipe.sink.records.waiting").gauges().stream().mapToDouble(Gauge::value)
                .filter(v -> !Double.isNaN(v)).sum();
    }

    /** The status line; call it at a steady interval so "last minute" means what it says. */
    String line(long nowNanos) {
        long errors = (long) registry.find("logpipe_processor_lines").tag("level", "error").counters().stream()
                .mapToDouble(Counter::count).sum();
        long fatal = (long) registry.find("logpipe_processor_lines").tag("level", "fatal").counters().stream()
                .mapToDouble(Counter::count).sum();
        long warn = (long) registry.find("logpipe_processor_lines").tag("level", "warn").counters().stream()
                .mapToDouble(Counter::count).sum();
        errorSamples.addLast(new long[] {nowNanos, warn, errors, fatal});
        while (errorSamples.size() > 1 && nowNanos - errorSamples.peekFirst()[0] > MINUTE_NANOS) {
            errorSamples.removeFirst();
        }
        long[] oldest = errorSamples.peekFirst();
        return String.format("collected %,d  enriched %,d  pushed %,d  waiting for Loki %,d  last minute: warn %,d error %,d fatal %,d",
                collected(), enriched(), pushed(), waiting(), warn - oldest[1], errors - oldest[2], fatal - oldest[3]);
    }

    private double sumCounters(String name) {
        return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}

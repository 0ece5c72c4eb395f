package io.logpipe.sink.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pusher's meters: {@code logpipe_sink_pushed_lines_total}, {@code logpipe_sink_pushed_bytes_total}
 * (protobuf bytes before compression), {@code logpipe_sink_push_duration_seconds} (histogram, one
 * observation an HTTP attempt, tagged by {@code outcome}), {@code logpipe_sink_push_retries_total}
 * by {@code cause}, and {@code logpipe_sink_loki_up} (1 while Loki answers, 0 while it is unreachable
 * or failing with 5xx).
 */
public final class PushMetrics {
    private final MeterRegistry registry;
    private final Counter lines;
    private final Counter bytes;
    private final AtomicInteger up = new AtomicInteger(1);

    public PushMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.lines = Counter.builder("logpipe.sink.pushed.lines").description("Log lines Loki stored").register(registry);
        this.bytes = Counter.builder("logpipe.sink.pushed").baseUnit("bytes")
                .description("Protobuf bytes (before snappy) of the pushes Loki accepted").register(registry);
        Gauge.builder("logpipe.sink.loki.up", up, AtomicInteger::get)
                .description("1 while Loki answers pushes, 0 while it is unreachable or failing").register(registry);
    }

    void pushed(int lineCount, int uncompressedBytes) {
        lines.increment(lineCount);
        bytes.increment(uncompressedBytes);
    }

    void attempt(Duration took, String outcome) {
        Timer.builder("logpipe.sink.push.duration").description("Time of one push request to Loki")
                .tag("outcome", outcome).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry).record(took);
    }

    void retry(String cause) {
        Counter.builder("logpipe.sink.push.retries").description("Pushes that failed and will be tried again")
                .tag("cause", cause).register(registry).increment();
    }

    void lokiUp(boolean isUp) {
        up.set(isUp ? 1 : 0);
    }

    public boolean lokiUp() {
        return up.get() == 1;
    }
}

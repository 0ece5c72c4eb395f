package io.logpipe.sink.batch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumer side's meters: {@code logpipe_sink_dlq_records_total} by {@code reason},
 * {@code logpipe_sink_lines_truncated_total}, and {@code logpipe_sink_records_waiting} (records
 * in {@code logs.enriched} after the committed offsets: the consumer lag, the backlog an outage
 * builds up).
 */
final class SinkCounters {
    private final MeterRegistry registry;
    private final Counter truncated;
    private final AtomicLong waiting = new AtomicLong();

    SinkCounters(MeterRegistry registry) {
        this.registry = registry;
        this.truncated = Counter.builder("logpipe.sink.lines.truncated")
                .description("Lines cut to max_line_size before sending").register(registry);
        Gauge.builder("logpipe.sink.records.waiting", waiting, AtomicLong::get)
                .description("Records of the input topic not yet committed (consumer lag)").register(registry);
    }

    void deadLettered(String reason) {
        Counter.builder("logpipe.sink.dlq.records").description("Records sent to the DLQ instead of Loki")
                .tag("reason", reason).register(registry).increment();
    }

    void truncated() {
        truncated.increment();
    }

    void waiting(long records) {
        waiting.set(records);
    }
}

package io.logpipe.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every meter the collector exports; all names start with {@code logpipe_collector_}
 * (Micrometer's Prometheus naming adds {@code _total} to counters).
 */
public final class CollectorMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(CollectorMetrics.class);

    private final MeterRegistry registry;
    private final RateLimitedLog badInputLog = new RateLimitedLog(LOG, java.time.Duration.ofSeconds(10));
    private final Map<String, Counter> badInput = new ConcurrentHashMap<>();

    public CollectorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The per-source reading counters. */
    public SourceMeters source(String source, String kind) {
        Tags tags = Tags.of("source", source, "kind", kind);
        return new SourceMeters(
                Counter.builder("logpipe.collector.lines.read").description("Lines (records) read from the source")
                        .tags(tags).register(registry),
                Counter.builder("logpipe.collector.bytes.read").description("Bytes read from the source")
                        .tags(tags).register(registry));
    }

    /**
     * Counts one piece of bad input (invalid UTF-8, over-long line, malformed CRI line, binary
     * journald field, unreadable file) and logs it, at most once per reason every 10 seconds.
     */
    public void badInput(String source, String reason, String detail) {
        badInput.computeIfAbsent(source + '\u0000' + reason, k -> Counter.builder("logpipe.collector.bad.input")
                .description("Input the collector kept, flagged or skipped instead of failing, by reason")
                .tags("source", source, "reason", reason).register(registry)).increment();
        badInputLog.warn(source + "/" + reason, "source {}: {} ({})", source, reason, detail);
    }

    public Counter sendErrors(String reason) {
        return Counter.builder("logpipe.collector.send.errors")
                .description("Records Kafka refused or could not take yet, by reason").tag("reason", reason).register(registry);
    }

    public Counter recordsSent() {
        return Counter.builder("logpipe.collector.records.sent").description("Records Kafka acknowledged").register(registry);
    }

    public Counter journaldRestarts(String source) {
        return Counter.builder("logpipe.collector.journald.restarts")
                .description("Times journalctl was started again after it ended").tag("source", source).register(registry);
    }

    public <T> Gauge gauge(String name, String description, Tags tags, T owner, ToDoubleFunction<T> value) {
        return Gauge.builder(name, owner, value).description(description).tags(tags).strongReference(false).register(registry);
    }

    /** Bytes not read yet in one tailed file; removed with {@link #removeFileLag}. */
    public Gauge fileLag(String source, String path, Supplier<Number> lagBytes) {
        return Gauge.builder("logpipe.collector.file.lag", lagBytes).description("Bytes of a tailed file not read yet")
                .baseUnit("bytes").tags("source", source, "path", path).strongReference(true).register(registry);
    }

    public void removeFileLag(Gauge gauge) {
        registry.remove(gauge);
    }
}

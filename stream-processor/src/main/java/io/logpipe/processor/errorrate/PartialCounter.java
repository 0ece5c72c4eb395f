package io.logpipe.processor.errorrate;

import io.logpipe.labels.LabelSet;
import io.logpipe.record.EnrichedRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Counts each line into its (rate group, window) inside the task that enriched it, and forwards
 * the partial counts every flush interval, keyed by rate group. Re-keying one record per group
 * and window, instead of one per line, keeps the error-rate repartition topic small: it is what
 * keeps the processor near a plain copy of logs.raw in throughput (BENCHMARKS.md).
 *
 * <p>The partials live in a {@link PartialsStore}: added up in memory, written to a changelogged
 * store before every commit, so under exactly-once a crash neither loses nor doubles a count (the
 * store's changes, the forwarded partials and the input offsets commit in one transaction). The
 * store is in memory (restored from its changelog after a restart): it holds one small entry per
 * group and open window, and a RocksDB store would be flushed to disk at every exactly-once
 * commit. Each line is also counted in {@link LineMetrics} here.
 */
public final class PartialCounter implements Processor<String, EnrichedRecord, String, PartialCounts> {
    public static final String STORE = "error-rate-partials";
    private static final int REMEMBERED = 10_000;

    private final long windowMillis;
    private final Duration flushInterval;
    private final LineMetrics metrics;
    // a stream's group never changes: keyed by the stream's canonical label set (the record key)
    private final Map<String, Group> groupsByStream = new HashMap<>();
    private ProcessorContext<String, PartialCounts> context;
    private PartialsStore partials;

    private PartialCounter(Duration window, Duration flushInterval, LineMetrics metrics) {
        this.windowMillis = window.toMillis();
        this.flushInterval = flushInterval;
        this.metrics = metrics;
    }

    public static ProcessorSupplier<String, EnrichedRecord, String, PartialCounts> supplier(
            Duration window, Duration flushInterval, LineMetrics metrics) {
        return () -> new PartialCounter(window, flushInterval, metrics);
    }

    public static StoreBuilder<PartialsStore> store() {
        return PartialsStore.builder(STORE);
    }

    @Override
    public void init(ProcessorContext<String, PartialCounts> context) {
        this.context = context;
        this.partials = context.getStateStore(STORE);
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, EnrichedRecord> record) {
        EnrichedRecord line = record.value();
        long eventMillis = record.timestamp();
        Group group = groupsByStream.get(record.key());
        if (group == null) {
            if (groupsByStream.size() >= REMEMBERED) {
                groupsByStream.clear();
            }
            LabelSet labels = RateGroup.of(line.labels());
            group = new Group(labels, labels.canonical());
            groupsByStream.put(record.key(), group);
        }
        metrics.line(group.key, group.labels, line, eventMillis);
        long window = Math.floorDiv(eventMillis, windowMillis);
        PartialsStore.Tally tally = group.tally;
        if (tally == null || group.window != window || !partials.isCurrent(tally)) {
            tally = partials.tally(group.key, window);
            group.tally = tally;
            group.window = window;
        }
        tally.add(line.level().isError(), eventMillis);
    }

    private void flush() {
        partials.drain((group, counts) -> context.forward(new Record<>(group, counts, counts.newestMillis())));
    }

    /** A stream's rate group, and the tally its lines went to last (most lines fall in the same window). */
    private static final class Group {
        private final LabelSet labels;
        private final String key;
        private PartialsStore.Tally tally;
        private long window;

        Group(LabelSet labels, String key) {
            this.labels = labels;
            this.key = key;
        }
    }
}

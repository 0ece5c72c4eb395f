package io.logpipe.processor.errorrate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * The partial counts of one task: a changelogged in-memory store, written behind. The lines
 * counted since the last commit are added up in a plain map ({@link Tally}: no serialising, no
 * store call per line) and written to the store when Kafka Streams flushes its caches, which it
 * does before every commit: so under exactly-once the written counts, the input offsets and the
 * forwarded partials commit in one transaction, as with a cached store, and a crash loses or
 * doubles nothing. A store call per line (the DSL's cache serialises key and value on every get
 * and put) cost about a third of the processor's throughput (BENCHMARKS.md).
 *
 * <p>The hook is Kafka Streams' cache flush ({@link WrappedStateStore#flushCache()}, an internal
 * interface, as is the record context the changelog writes need): {@code StreamProcessorBrokerTest}
 * pins the result — every window equal to a count by hand, with and without a crash — so a Kafka
 * Streams upgrade that moves the hook fails there, not silently.
 */
public final class PartialsStore extends WrappedStateStore<KeyValueStore<String, PartialCounts>, String, PartialCounts> {
    private static final char WINDOW_SEPARATOR = '@';

    private final Map<String, Tally> pending = new HashMap<>();
    private InternalProcessorContext<?, ?> context;
    // bumped whenever the pending tallies are written or dropped: a Tally of an older generation is spent
    private int generation;

    private PartialsStore(KeyValueStore<String, PartialCounts> store) {
        super(store);
    }

    /** The store's builder: in memory, changelogged, no cache (this class is the cache). */
    public static StoreBuilder<PartialsStore> builder(String name) {
        return new Builder(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), PartialCounts.serde())
                .withCachingDisabled()
                .withLoggingEnabled(Map.of()));
    }

    @Override
    public void init(StateStoreContext stateStoreContext, StateStore root) {
        dropPending();
        context = (InternalProcessorContext<?, ?>) stateStoreContext;
        super.init(stateStoreContext, root);
    }

    /** The tally of lines of {@code group} in window number {@code window} since the last write, new if none. */
    Tally tally(String group, long window) {
        return pending.computeIfAbsent(group + WINDOW_SEPARATOR + window, key -> new Tally(key, generation));
    }

    /** True while {@code tally} still gathers lines (it was not written or dropped since it was handed out). */
    boolean isCurrent(Tally tally) {
        return tally.generation == generation;
    }

    /**
     * Every partial count, stored or pending, by rate group, removed from the store: what the
     * flush forwards downstream, oldest line first. The order matters: each forwarded partial
     * moves the window task's stream time to its newest line, so in key order (by group) a backlog
     * replayed fast would carry one group's later windows ahead of another's earlier ones, which
     * would then close as late and lose their lines. The removal is changelogged like the writes.
     */
    void drain(BiConsumer<String, PartialCounts> each) {
        writePending();
        List<KeyValue<String, PartialCounts>> drained = new ArrayList<>();
        try (KeyValueIterator<String, PartialCounts> all = wrapped().all()) {
            all.forEachRemaining(drained::add);
        }
        drained.sort(Comparator.comparingLong(partial -> partial.value.newestMillis()));
        for (KeyValue<String, PartialCounts> partial : drained) {
            each.accept(partial.key.substring(0, partial.key.lastIndexOf(WINDOW_SEPARATOR)), partial.value);
            wrapped().delete(partial.key);
        }
    }

    @Override
    public void flushCache() {
        writePending();
        super.flushCache();
    }

    @Override
    public void clearCache() {
        dropPending();
        super.clearCache();
    }

    @Override
    public void close() {
        dropPending();
        super.close();
    }

    private void writePending() {
        if (pending.isEmpty()) {
            return;
        }
        ProcessorRecordContext current = context.recordContext();
        try {
            for (Tally tally : pending.values()) {
                PartialCounts counted = tally.counts();
                // the changelog record carries the newest line's event time, as a cached store would
                context.setRecordContext(current == null
                        ? new ProcessorRecordContext(counted.newestMillis(), -1, -1, "", new RecordHeaders())
                        : new ProcessorRecordContext(counted.newestMillis(), current.offset(), current.partition(), current.topic(),
                                new RecordHeaders()));
                PartialCounts stored = wrapped().get(tally.key);
                wrapped().put(tally.key, stored == null ? counted : stored.plus(counted));
            }
        } finally {
            context.setRecordContext(current);
        }
        dropPending();
    }

    private void dropPending() {
        pending.clear();
        generation++;
    }

    /** Lines of one rate group and one window counted since the last write: added to in place. */
    static final class Tally {
        private final String key;
        private final int generation;
        private long lines;
        private long errors;
        private long newestMillis = Long.MIN_VALUE;

        private Tally(String key, int generation) {
            this.key = key;
            this.generation = generation;
        }

        void add(boolean error, long eventMillis) {
            lines++;
            if (error) {
                errors++;
            }
            newestMillis = Math.max(newestMillis, eventMillis);
        }

        PartialCounts counts() {
            return new PartialCounts(lines, errors, newestMillis);
        }
    }

    private record Builder(StoreBuilder<KeyValueStore<String, PartialCounts>> inner) implements StoreBuilder<PartialsStore> {
        @Override
        public StoreBuilder<PartialsStore> withCachingEnabled() {
            throw new UnsupportedOperationException("the partials store is its own cache");
        }

        @Override
        public StoreBuilder<PartialsStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<PartialsStore> withLoggingEnabled(Map<String, String> config) {
            return new Builder(inner.withLoggingEnabled(config));
        }

        @Override
        public StoreBuilder<PartialsStore> withLoggingDisabled() {
            throw new UnsupportedOperationException("without its changelog a crash would lose counts");
        }

        @Override
        public PartialsStore build() {
            return new PartialsStore(inner.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}

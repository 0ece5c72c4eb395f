package io.logpipe.processor.errorrate;

import io.logpipe.labels.LabelSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Bounds how many rate groups get their own metric series. Pods without an {@code app} label
 * are grouped by pod name, which changes on every rollout; without a bound Prometheus would
 * collect series forever. The first {@code max} groups keep their own series, for the life of
 * the process; every later one is folded into a single series whose labels are all
 * {@value #FOLDED}.
 *
 * @param <T> what a series holds (its meters)
 */
final class SeriesCap<T> {
    static final String FOLDED = "_folded";

    private final int max;
    private final Function<LabelSet, T> create;
    private final Map<String, T> series = new ConcurrentHashMap<>();
    private final Supplier<T> createFolded;
    private volatile T folded;

    SeriesCap(int max, Function<LabelSet, T> create, Supplier<T> createFolded) {
        this.max = max;
        this.create = create;
        this.createFolded = createFolded;
    }

    /** The series of {@code group} (whose canonical text is {@code key}), or null when the cap folds it. */
    T get(String key, LabelSet group) {
        T existing = series.get(key);
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            existing = series.get(key);
            if (existing != null || series.size() >= max) {
                return existing;
            }
            T created = create.apply(group);
            series.put(key, created);
            return created;
        }
    }

    /** The folded series, created (registered) the first time a group is folded. */
    T folded() {
        T existing = folded;
        if (existing == null) {
            synchronized (this) {
                if (folded == null) {
                    folded = createFolded.get();
                }
                existing = folded;
            }
        }
        return existing;
    }
}

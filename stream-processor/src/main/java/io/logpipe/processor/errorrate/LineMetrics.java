package io.logpipe.processor.errorrate;

import io.logpipe.labels.LabelSet;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.Level;
import io.logpipe.selector.Selector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The processor's own Prometheus metrics (docs/metrics.md lists them with the alert PromQL).
 * Per rate group: lines by level, the event time of the newest line, and the last closed
 * event-time window; per configured pattern: matching lines; and what was dead-lettered,
 * folded by the series cap, or cut by the label cap. Stream threads call it concurrently.
 */
public final class LineMetrics {
    public static final String LINES = "logpipe_processor_lines";
    public static final String LAST_LINE = "logpipe_processor_last_line_timestamp_seconds";
    public static final String WINDOW_LINES = "logpipe_processor_window_lines";
    public static final String WINDOW_ERRORS = "logpipe_processor_window_error_lines";
    public static final String WINDOW_END = "logpipe_processor_window_end_timestamp_seconds";
    public static final String FOLDED = "logpipe_processor_metric_series_folded";
    public static final String PATTERN_LINES = "logpipe_processor_pattern_lines";
    public static final String DEAD_LETTERS = "logpipe_processor_dead_letters";
    public static final String LABELS_CUT = "logpipe_processor_labels_cut";

    private static final Level[] LEVELS = Level.values();

    private final MeterRegistry registry;
    private final SeriesCap<GroupMeters> groups;
    private final Counter foldedLines;
    private final List<PatternCounter> patterns;
    private final Counter labelsCut;
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();

    public LineMetrics(MeterRegistry registry, ErrorRateConfig config) {
        this.registry = registry;
        this.groups = new SeriesCap<>(config.maxSeries(), group -> new GroupMeters(groupTags(group)),
                () -> new GroupMeters(foldedTags()));
        this.foldedLines = Counter.builder(FOLDED)
                .description("Lines counted in the folded series because the rate groups exceeded error_rates.max_series")
                .register(registry);
        this.patterns = config.linePatterns().stream()
                .map(pattern -> new PatternCounter(pattern.parsed(), Counter.builder(PATTERN_LINES)
                        .description("Lines matching a configured selector (error_rates.line_patterns)")
                        .tag("pattern", pattern.name()).register(registry)))
                .toList();
        this.labelsCut = Counter.builder(LABELS_CUT)
                .description("Labels removed from streams by labels.max_labels")
                .register(registry);
    }

    /** Counts one enriched line of {@code group}, whose canonical text is {@code groupKey}. */
    public void line(String groupKey, LabelSet group, EnrichedRecord record, long eventTimeMillis) {
        GroupMeters meters = groups.get(groupKey, group);
        if (meters == null) {
            meters = groups.folded();
            foldedLines.increment();
        }
        meters.line(record.level(), eventTimeMillis);
        for (PatternCounter pattern : patterns) {
            if (pattern.selector.matches(record.labels(), record.line())) {
                pattern.counter.increment();
            }
        }
    }

    /** Publishes a closed window of {@code group}. */
    public void window(LabelSet group, WindowCounts counts, long windowEndMillis) {
        GroupMeters meters = groups.get(group.canonical(), group);
        (meters == null ? groups.folded() : meters).window(counts, windowEndMillis);
    }

    public void labelsCut(int count) {
        if (count > 0) {
            labelsCut.increment(count);
        }
    }

    public void deadLetter(String reason) {
        deadLetters.computeIfAbsent(reason, r -> Counter.builder(DEAD_LETTERS)
                .description("Records sent to the dead-letter topic, by reason")
                .tag("reason", r).register(registry)).increment();
    }

    private static Tags groupTags(LabelSet group) {
        Tags tags = Tags.empty();
        for (String name : RateGroup.LABEL_NAMES) {
            String value = group.get(name);
            tags = tags.and(name, value == null ? "" : value);
        }
        return tags;
    }

    private static Tags foldedTags() {
        Tags tags = Tags.empty();
        for (String name : RateGroup.LABEL_NAMES) {
            tags = tags.and(name, SeriesCap.FOLDED);
        }
        return tags;
    }

    private record PatternCounter(Selector selector, Counter counter) {
    }

    private final class GroupMeters {
        private final Tags tags;
        private final Counter[] lines = new Counter[LEVELS.length];
        private final AtomicLong lastLineMillis = new AtomicLong();
        private final AtomicLong windowLines = new AtomicLong();
        private final AtomicLong windowErrors = new AtomicLong();
        private final AtomicLong windowEndMillis = new AtomicLong();
        private volatile boolean windowGauges;

        GroupMeters(Tags tags) {
            this.tags = tags;
            Gauge.builder(LAST_LINE, lastLineMillis, millis -> millis.get() / 1000.0)
                    .description("Event time of the newest line of the rate group (the line's own timestamp)")
                    .tags(tags).register(registry);
        }

        void line(Level level, long eventTimeMillis) {
            Counter counter = lines[level.ordinal()];
            if (counter == null) {
                // registering twice returns the same meter, so racing threads agree
                counter = Counter.builder(LINES).description("Lines processed, by rate group and level")
                        .tags(tags).tag("level", level.label()).register(registry);
                lines[level.ordinal()] = counter;
            }
            counter.increment();
            lastLineMillis.accumulateAndGet(eventTimeMillis, Math::max);
        }

        void window(WindowCounts counts, long endMillis) {
            if (endMillis < windowEndMillis.get()) {
                return;
            }
            windowLines.set(counts.lines());
            windowErrors.set(counts.errors());
            windowEndMillis.set(endMillis);
            if (!windowGauges) {
                synchronized (this) {
                    if (!windowGauges) {
                        Gauge.builder(WINDOW_LINES, windowLines, AtomicLong::get)
                                .description("Lines in the rate group's last closed event-time window")
                                .tags(tags).register(registry);
                        Gauge.builder(WINDOW_ERRORS, windowErrors, AtomicLong::get)
                                .description("Error and fatal lines in the rate group's last closed event-time window")
                                .tags(tags).register(registry);
                        Gauge.builder(WINDOW_END, windowEndMillis, millis -> millis.get() / 1000.0)
                                .description("End of the rate group's last closed event-time window")
                                .tags(tags).register(registry);
                        windowGauges = true;
                    }
                }
            }
        }
    }
}

package io.logpipe.processor;

import io.logpipe.kafka.TopicNames;
import io.logpipe.labels.LabelSet;
import io.logpipe.processor.errorrate.ErrorRateConfig;
import io.logpipe.processor.errorrate.ErrorRateWindow;
import io.logpipe.processor.errorrate.EventTimeExtractor;
import io.logpipe.processor.errorrate.LineMetrics;
import io.logpipe.processor.errorrate.PartialCounter;
import io.logpipe.processor.errorrate.PartialCounts;
import io.logpipe.processor.errorrate.WindowCounts;
import io.logpipe.processor.labels.StreamLabeler;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordSerdes;
import io.logpipe.selector.Selector;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The processor's Kafka Streams topology, top to bottom:
 * <ol>
 *   <li>read {@code logs.raw}, with the line's own timestamp as event time; values that do not
 *       decode go to {@code logs.dlq} through {@link io.logpipe.processor.deadletter.DeadLetterHandler};</li>
 *   <li>enrich each record (level, Loki stream labels, metadata) and write it to
 *       {@code logs.enriched}, keyed by its canonical label set;</li>
 *   <li>count each line in its rate group's metrics and in a partial count of its (group,
 *       window); every flush interval (the commit interval) forward the partials, re-keyed by
 *       group, and sum them in event-time windows with a grace period, kept in a RocksDB window
 *       store with a changelog;</li>
 *   <li>when a window closes (end + grace passed in event time), publish it once to
 *       {@code logs.error-rates} and to the window gauges.</li>
 * </ol>
 */
public final class EnrichmentTopology {
    /** The window store; its changelog is {@code <application_id>-error-rate-windows-changelog}. */
    public static final String WINDOW_STORE = "error-rate-windows";

    private EnrichmentTopology() {
    }

    public static Topology build(TopicNames topics, StreamLabeler labeler, ErrorRateConfig errorRates, LineMetrics metrics,
                                 Duration flushInterval) {
        Enricher enricher = new Enricher(labeler, metrics);
        StreamsBuilder builder = new StreamsBuilder();

        KStream<byte[], RawRecord> raw = builder.stream(topics.raw(),
                Consumed.with(Serdes.ByteArray(), RecordSerdes.raw())
                        .withTimestampExtractor(new EventTimeExtractor())
                        .withName("read-raw"));

        KStream<String, EnrichedRecord> enriched = raw.map((sourceKey, record) -> enricher.enrich(record), Named.as("enrich"));
        enriched.to(topics.enriched(), Produced.with(Serdes.String(), RecordSerdes.enriched()).withName("write-enriched"));

        builder.addStateStore(PartialCounter.store());
        enriched
                .process(PartialCounter.supplier(errorRates.window(), flushInterval, metrics), Named.as("count-partials"),
                        PartialCounter.STORE)
                .repartition(Repartitioned.with(Serdes.String(), PartialCounts.serde()).withName("error-rate-groups"))
                .groupByKey(Grouped.with(Serdes.String(), PartialCounts.serde()))
                .windowedBy(TimeWindows.ofSizeAndGrace(errorRates.window(), errorRates.grace()))
                .aggregate(() -> WindowCounts.ZERO, (group, partial, counts) -> counts.plus(partial),
                        Named.as("count-window"),
                        Materialized.<String, WindowCounts, WindowStore<Bytes, byte[]>>as(WINDOW_STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(WindowCounts.serde()))
                // suppress, not EmitStrategy.onWindowClose(): the latter's first emit walks every
                // store segment since the epoch through the cache (seconds per task start)
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName("until-window-closes"))
                .toStream(Named.as("closed-windows"))
                .map((window, counts) -> {
                    ErrorRateWindow published = ErrorRateWindow.of(labelsOf(window.key()),
                            window.window().startTime(), window.window().endTime(), counts);
                    metrics.window(LabelSet.of(published.labels()), counts, window.window().end());
                    return KeyValue.pair(window.key(), published);
                }, Named.as("error-rate-record"))
                .to(topics.errorRates(), Produced.with(Serdes.String(), ErrorRateWindow.serde()).withName("write-error-rates"));

        return builder.build();
    }

    /** The group's labels back from its canonical text, which is a valid Loki selector. */
    private static Map<String, String> labelsOf(String canonical) {
        Map<String, String> labels = new TreeMap<>();
        if (canonical.equals("{}")) {
            return labels;
        }
        for (Selector.Matcher matcher : Selector.parse(canonical).matchers()) {
            labels.put(matcher.name(), matcher.value());
        }
        return labels;
    }
}

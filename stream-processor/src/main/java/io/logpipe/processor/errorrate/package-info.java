/**
 * Error rates by event time.
 *
 * <p>A line's event time is its own timestamp ({@link io.logpipe.processor.errorrate.EventTimeExtractor}).
 * Lines are grouped by {@link io.logpipe.processor.errorrate.RateGroup} — coarser than a Loki
 * stream, one series per workload. Counting happens in two steps so that the repartition by
 * group does not carry every line: {@link io.logpipe.processor.errorrate.PartialCounter} counts
 * lines per (group, window) inside the task that read them — in memory, written to a changelogged
 * store before each commit by {@link io.logpipe.processor.errorrate.PartialsStore} — and flushes the
 * {@link io.logpipe.processor.errorrate.PartialCounts} every commit interval, stamped with the
 * newest event time they contain (so they fall in the right window and move stream time as the
 * lines would); the topology sums them per window with a grace period and publishes each window
 * once, when it closes ({@link io.logpipe.processor.errorrate.ErrorRateWindow}).
 *
 * <p>{@link io.logpipe.processor.errorrate.LineMetrics} holds the Prometheus side: counters by
 * processing time, gauges of the last closed window, and a cap on series
 * ({@link io.logpipe.processor.errorrate.SeriesCap}).
 */
package io.logpipe.processor.errorrate;

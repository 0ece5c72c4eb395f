/**
 * The stream-processor: a Kafka Streams application from {@code logs.raw} to {@code logs.enriched}.
 *
 * <p>{@link io.logpipe.processor.EnrichmentTopology} is the whole data flow, top to bottom;
 * {@link io.logpipe.processor.StreamProcessor} runs it (exactly-once, metrics into the caller's
 * registry so that {@code logpipe local} can share one endpoint); {@link io.logpipe.processor.ProcessorConfig}
 * is the YAML file. The per-line logic lives in the feature packages: {@code level} (what
 * severity a line has), {@code labels} (which Loki stream it belongs to), {@code errorrate}
 * (event-time windows and metrics) and {@code deadletter} (what cannot be processed).
 */
package io.logpipe.processor;

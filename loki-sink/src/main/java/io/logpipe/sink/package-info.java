/**
 * The loki-sink: {@code logs.enriched} → Grafana Loki, at least once.
 *
 * <p>{@link io.logpipe.sink.LokiSink} wires the parts: {@code batch} (the consumer thread, the
 * open batch, the offset ledger, the DLQ), {@code admission} (Loki's rules checked before
 * sending), {@code push} (the wire format, the HTTP client, retries and the handling of 400s)
 * and {@code replay} ({@code logpipe replay}).
 */
package io.logpipe.sink;

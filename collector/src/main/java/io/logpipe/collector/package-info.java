/**
 * The logpipe collector: sources that read lines and ship them as raw records to Kafka.
 *
 * <p>The flow of one line: a source's reading thread (a {@link io.logpipe.collector.tail.TailLoop}
 * for pod logs and files, a journalctl reader, an informer for events) turns it into a
 * {@link io.logpipe.record.RawRecord} and hands it, with the position just after it, to its
 * {@link io.logpipe.collector.publish.SourceOutput}. That registers the position with the
 * source's {@link io.logpipe.collector.checkpoint.AckedProgress} and publishes the record; the
 * {@link io.logpipe.collector.publish.RecordPublisher} blocks while too much is unacknowledged,
 * which is how a Kafka outage stops the reading. Kafka's acknowledgement advances the
 * watermark, and the {@link io.logpipe.collector.checkpoint.CheckpointStore} writes the
 * watermarks to disk every {@code checkpoint_interval}. {@link io.logpipe.collector.Collector}
 * wires this together from a {@link io.logpipe.collector.CollectorConfig}.
 */
package io.logpipe.collector;

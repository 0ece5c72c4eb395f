/**
 * Where each source resumes after a restart.
 *
 * <p>A source hands every record to Kafka together with the position just after it (file
 * offset, journald cursor, event mark) through {@link io.logpipe.collector.checkpoint.AckedProgress#issue}.
 * The position becomes the source's checkpoint only when Kafka has acknowledged that record
 * and every record issued before it, so a crash at any moment re-reads at most what was
 * unacknowledged (at-least-once) and never skips anything. {@link io.logpipe.collector.checkpoint.CheckpointStore}
 * writes the acknowledged positions of all sources to one JSON file, atomically
 * (temporary file, fsync, rename, fsync of the directory).
 */
package io.logpipe.collector.checkpoint;

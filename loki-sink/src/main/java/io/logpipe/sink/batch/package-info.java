/**
 * Consuming, batching and committing.
 *
 * <p>Two threads: the consumer thread ({@link io.logpipe.sink.batch.ConsumeLoop}) owns the
 * KafkaConsumer, turns records into Loki entries (io.logpipe.sink.transcode) and checks their
 * streams, fills the open batch and commits; the push thread ({@link
 * io.logpipe.sink.batch.DeliveryWorker}) delivers closed batches one after the other, so every
 * stream reaches Loki in offset order. The {@link io.logpipe.sink.batch.OffsetLedger} between them
 * decides what may be committed: per partition, nothing at or after the first offset of a batch
 * Loki has not answered for. A hand-over queue of two batches bounds memory; when it is full, or
 * while Loki fails, the consumer pauses its partitions but keeps polling, so it stays in the group
 * and Kafka keeps the backlog.
 */
package io.logpipe.sink.batch;

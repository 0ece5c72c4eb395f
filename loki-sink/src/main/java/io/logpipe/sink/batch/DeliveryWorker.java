package io.logpipe.sink.batch;

import io.logpipe.sink.push.LokiPusher;
import io.logpipe.sink.push.Refusal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that pushes: takes closed batches in order, delivers each (retrying as long as
 * it takes), sends its refused records to the DLQ, then acknowledges it in the ledger. One
 * thread keeps every stream's batches in order; the consumer thread meanwhile fills the next
 * batch. The queue is short, so an outage fills it quickly and the consumer pauses.
 */
final class DeliveryWorker implements AutoCloseable {
    /** Batches waiting beyond the one being pushed; memory stays under (QUEUED + 2) × max_bytes. */
    static final int QUEUED = 2;
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

    private final BlockingQueue<PushBatch> queue = new ArrayBlockingQueue<>(QUEUED);
    private final LokiPusher pusher;
    private final DeadLetterWriter deadLetters;
    private final OffsetLedger ledger;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile PushBatch current;

    DeliveryWorker(LokiPusher pusher, DeadLetterWriter deadLetters, OffsetLedger ledger) {
        this.pusher = pusher;
        this.deadLetters = deadLetters;
        this.ledger = ledger;
        this.thread = new Thread(this::run, "loki-sink-push");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Hands a batch over; false when the queue is full (the caller keeps it and pauses). */
    boolean offer(PushBatch batch) {
        return queue.offer(batch);
    }

    boolean hasRoom() {
        return queue.remainingCapacity() > 0;
    }

    /** True while Loki is failing and the current batch waits for its next attempt. */
    boolean retrying() {
        return pusher.retrying();
    }

    /** Waits until every handed-over batch is delivered, at most {@code timeout}; true when done. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!queue.isEmpty() || current != null) {
            if (System.nanoTime() > deadline || !thread.isAlive()) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return true;
    }

    private void run() {
        try {
            while (!stopping) {
                PushBatch batch = queue.poll(100, TimeUnit.MILLISECONDS);
                if (batch == null) {
                    continue;
                }
                current = batch;
                List<Refusal<ConsumerRecord<byte[], byte[]>>> refused = pusher.deliver(batch.entries());
                for (Refusal<ConsumerRecord<byte[], byte[]>> refusal : refused) {
                    deadLetters.write(refusal.entry().origin(), refusal.reason().tag(), refusal.message());
                }
                if (!refused.isEmpty()) {
                    LOG.warn("Loki refused {} of {} entries ({}); they went to the DLQ", refused.size(),
                            batch.entries().size(), refused.get(refused.size() - 1).message());
                }
                ledger.acknowledged(batch);
                current = null;
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the push thread failed; nothing more is delivered or committed", e);
        }
    }

    boolean alive() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

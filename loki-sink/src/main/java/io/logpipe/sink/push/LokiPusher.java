package io.logpipe.sink.push;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a batch of entries to Loki and does not return before Loki has answered for every
 * one of them: stored, or refused for good.
 *
 * <p>Failures worth retrying (unreachable, timeout, 429, 5xx) are retried forever with
 * {@link Backoff}. A 400 means some entries are refused while Loki stored the rest; Loki names
 * only the last refusal, so the refused ones are found by pushing parts again: the stream the
 * message names apart from the others, then halves, down to single entries. Pushing a stored
 * entry again is harmless: Loki keeps one copy of an identical stream + timestamp + line.
 */
public final class LokiPusher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LokiPusher.class);

    private final LokiClient client;
    private final PushEncoder encoder;
    private final Backoff backoff;
    private final PushMetrics metrics;
    private final AtomicBoolean retrying = new AtomicBoolean(false);

    public LokiPusher(LokiConfig config, Backoff backoff, PushMetrics metrics) {
        this.client = new LokiClient(config);
        this.encoder = new PushEncoder(config.structuredMetadata());
        this.backoff = backoff;
        this.metrics = metrics;
    }

    /**
     * Pushes {@code entries} until Loki has answered for each; returns the refused ones (empty
     * when all were stored). Throws {@link InterruptedException} when the thread is interrupted
     * while waiting to retry: then nothing may be assumed about the entries.
     */
    public <O> List<Refusal<O>> deliver(List<LokiEntry<O>> entries) throws InterruptedException {
        List<Refusal<O>> refused = new ArrayList<>();
        if (entries.isEmpty()) {
            return refused;
        }
        PushResult result = pushUntilAnswered(entries);
        if (result instanceof PushResult.Refused refusal) {
            resolve(entries, refusal.message(), refused);
        }
        return refused;
    }

    /** True while the last push failed and is waiting to be tried again. */
    public boolean retrying() {
        return retrying.get();
    }

    private <O> void resolve(List<LokiEntry<O>> entries, String message, List<Refusal<O>> refused) throws InterruptedException {
        RefusalReason reason = RefusalReason.of(message);
        if (entries.size() == 1) {
            refused.add(new Refusal<>(entries.get(0), reason, message));
            return;
        }
        String named = RefusalReason.streamNamed(message);
        List<LokiEntry<O>> ofNamed = new ArrayList<>();
        List<LokiEntry<O>> others = new ArrayList<>();
        for (LokiEntry<O> entry : entries) {
            (entry.stream().equals(named) ? ofNamed : others).add(entry);
        }
        if (!ofNamed.isEmpty() && reason.streamWide()) {
            // a label problem refuses every entry of the stream: no need to push them again
            ofNamed.forEach(entry -> refused.add(new Refusal<>(entry, reason, message)));
            retry(others, refused);
        } else if (!ofNamed.isEmpty() && !others.isEmpty()) {
            retry(others, refused);
            retry(ofNamed, refused);
        } else {
            int half = entries.size() / 2;
            retry(new ArrayList<>(entries.subList(0, half)), refused);
            retry(new ArrayList<>(entries.subList(half, entries.size())), refused);
        }
    }

    private <O> void retry(List<LokiEntry<O>> part, List<Refusal<O>> refused) throws InterruptedException {
        if (part.isEmpty()) {
            return;
        }
        PushResult result = pushUntilAnswered(part);
        if (result instanceof PushResult.Refused refusal) {
            resolve(part, refusal.message(), refused);
        }
    }

    private PushResult pushUntilAnswered(List<? extends LokiEntry<?>> entries) throws InterruptedException {
        PushEncoder.Body body = encoder.encode(entries);
        int failures = 0;
        while (true) {
            long start = System.nanoTime();
            PushResult result = client.push(body.compressed());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (result instanceof PushResult.Failed failed) {
                metrics.attempt(took, "failed");
                metrics.lokiUp(failed.lokiAnswered());
                metrics.retry(failed.cause());
                failures++;
                Duration wait = backoff.delay(failures, failed.retryAfter());
                if (retrying.compareAndSet(false, true)) {
                    LOG.warn("Loki push failed ({}); retrying until it succeeds, consumption paused", failed.detail());
                } else {
                    LOG.debug("Loki push failed again ({}), attempt {}, next in {} ms", failed.detail(), failures, wait.toMillis());
                }
                TimeUnit.MILLISECONDS.sleep(wait.toMillis());
                continue;
            }
            metrics.lokiUp(true);
            if (retrying.compareAndSet(true, false)) {
                LOG.info("Loki answers again after {} failed attempts", failures);
            }
            if (result instanceof PushResult.Accepted) {
                metrics.attempt(took, "accepted");
                metrics.pushed(entries.size(), body.uncompressedBytes());
            } else {
                metrics.attempt(took, "refused");
            }
            return result;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}

package io.logpipe.sink.replay;

import io.logpipe.labels.LabelSet;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.RecordFormatException;
import io.logpipe.sink.admission.LineLimit;
import io.logpipe.sink.admission.StreamCheck;
import io.logpipe.sink.batch.BatchLimits;
import io.logpipe.sink.push.LokiEntry;
import io.logpipe.sink.push.LokiPusher;
import io.logpipe.sink.push.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Sends replayed enriched records to Loki with the sink's own checks and pusher: the same line
 * truncation, the same label rules, the same retries. Records Loki would refuse are reported
 * through {@code problems} (a replay has no DLQ of its own); Loki's dedupe rule makes a replay of
 * lines it already has harmless.
 */
public final class LokiDestination implements ReplayDestination {
    private final LokiPusher pusher;
    private final StreamCheck streams;
    private final LineLimit lines;
    private final long maxBatchBytes;
    private final Consumer<String> problems;
    private List<LokiEntry<ConsumerRecord<byte[], byte[]>>> batch = new ArrayList<>();
    private long batchBytes;
    private long refused;

    public LokiDestination(LokiPusher pusher, StreamCheck streams, LineLimit lines, BatchLimits batching, Consumer<String> problems) {
        this.pusher = pusher;
        this.streams = streams;
        this.lines = lines;
        this.maxBatchBytes = batching.maxBytes().bytes();
        this.problems = problems;
    }

    @Override
    public boolean accept(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        EnrichedRecord enriched;
        try {
            enriched = RecordCodec.decodeEnriched(record.value());
        } catch (RecordFormatException e) {
            problems.accept("partition " + record.partition() + " offset " + record.offset() + ": not sent to Loki: " + e.getMessage());
            return false;
        }
        LabelSet stream = enriched.stream();
        StreamCheck.Problem problem = streams.check(stream);
        if (problem != null) {
            problems.accept("partition " + record.partition() + " offset " + record.offset() + ": not sent to Loki: " + problem.message());
            return false;
        }
        LokiEntry<ConsumerRecord<byte[], byte[]>> entry = new LokiEntry<>(stream.canonical(), enriched.timestampNanos(),
                lines.fit(enriched.line()), enriched.metadata(), record);
        batch.add(entry);
        batchBytes += entry.estimatedBytes();
        if (batchBytes >= maxBatchBytes) {
            flush();
        }
        return true;
    }

    /** Entries Loki refused so far. */
    public long refused() {
        return refused;
    }

    private void flush() throws InterruptedException {
        List<Refusal<ConsumerRecord<byte[], byte[]>>> refusals = pusher.deliver(batch);
        for (Refusal<ConsumerRecord<byte[], byte[]>> refusal : refusals) {
            ConsumerRecord<byte[], byte[]> origin = refusal.entry().origin();
            problems.accept("partition " + origin.partition() + " offset " + origin.offset() + ": Loki refused it: " + refusal.message());
        }
        refused += refusals.size();
        batch = new ArrayList<>();
        batchBytes = 0;
    }

    @Override
    public void close() throws InterruptedException {
        if (!batch.isEmpty()) {
            flush();
        }
        pusher.close();
    }
}

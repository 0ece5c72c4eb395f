package io.logpipe.processor;

import io.logpipe.processor.errorrate.ErrorRateConfig;
import io.logpipe.processor.errorrate.LineMetrics;
import io.logpipe.processor.labels.LabelConfig;
import io.logpipe.processor.labels.StreamLabeler;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KeyValue;

/**
 * The processor's own per-line work without Kafka, run by bench/processor/per_line.sh: the
 * benchmark's record mix ({@link BenchRecords}) read from its JSON bytes, enriched (level, stream
 * labels) and written as enriched JSON with its key, in a loop on one thread, timed in that
 * thread's CPU time. The two-app benchmark swings by a fifth from run to run; this measures the
 * code a change to the per-line path touches, to a few per cent. Each stage includes the ones
 * before it; the last round counts (the JIT has settled by then).
 */
public final class PerLineBench {
    private PerLineBench() {
    }

    public static void main(String[] args) {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        BenchRecords mix = new BenchRecords();
        byte[][] values = new byte[records][];
        long bytes = 0;
        for (int i = 0; i < records; i++) {
            values[i] = RecordCodec.encode(mix.next());
            bytes += values[i].length;
        }
        System.out.printf("%,d raw records, %d bytes each on average; CPU-µs a record, each stage with those before it:%n",
                records, bytes / records);
        Enricher enricher = new Enricher(new StreamLabeler(LabelConfig.DEFAULTS),
                new LineMetrics(new SimpleMeterRegistry(), ErrorRateConfig.DEFAULTS));
        for (int round = 1; round <= rounds; round++) {
            double decode = time(values, value -> RecordCodec.decodeRaw(value).line().length());
            double enrich = time(values, value -> enricher.enrich(RecordCodec.decodeRaw(value)).key.length());
            double encode = time(values, value -> {
                KeyValue<String, EnrichedRecord> enriched = enricher.enrich(RecordCodec.decodeRaw(value));
                return RecordCodec.encode(enriched.value).length + enriched.key.getBytes(StandardCharsets.UTF_8).length;
            });
            System.out.printf("round %d: decode %.3f, + level and labels %.3f, + encode value and key %.3f%n", round, decode, enrich, encode);
        }
    }

    /** CPU-µs a record of {@code work} over all values; its results are summed so the JIT cannot drop it. */
    private static double time(byte[][] values, ToLongFunction<byte[]> work) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        long start = threads.getCurrentThreadCpuTime();
        for (byte[] value : values) {
            sum += work.applyAsLong(value);
        }
        long cpu = threads.getCurrentThreadCpuTime() - start;
        if (sum == 42) {
            System.out.print("");
        }
        return cpu / 1e3 / values.length;
    }
}

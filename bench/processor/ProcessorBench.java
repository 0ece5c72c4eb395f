import io.logpipe.kafka.KafkaClientConfig;
import io.logpipe.kafka.TopicNames;
import io.logpipe.kafka.TopicSpec;
import io.logpipe.kafka.embedded.EmbeddedKafkaBroker;
import io.logpipe.processor.BenchRecords;
import io.logpipe.processor.ProcessorConfig;
import io.logpipe.processor.StreamProcessor;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.RecordSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * stream-processor benchmark, run by bench/processor/run.sh: N mixed raw records in logs.raw on
 * the embedded broker, then, alternating, a pass-through Kafka Streams app (read → write the
 * same bytes, same streams settings: exactly-once, 100 ms commits, lz4) and the real processor,
 * each in a JVM of its own from an empty consumer group. A run is timed from the commit that
 * passes a quarter of the records (warm-up excluded) until its group has committed the end of logs.raw (and, for the processor, of its
 * repartition topic too: every line counted in its window); records/s counts the records
 * committed in that time.
 *
 * <p>Modes: {@code driver N ROUNDS}; {@code app passthrough|codec|processor BOOTSTRAP APP_ID STATE_DIR}.
 */
public final class ProcessorBench {
    private static final String RAW = "logs.raw";
    /** PROCESSOR_BENCH_CODEC=1 also runs the decode-and-encode app: the floor of any processor of these records. */
    private static final boolean CODEC = "1".equals(System.getenv("PROCESSOR_BENCH_CODEC"));

    public static void main(String[] args) throws Exception {
        if (args[0].equals("app")) {
            app(args[1], args[2], args[3], Path.of(args[4]));
        } else {
            driver(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        }
    }

    /** Stream threads of both apps: the processor's default, or PROCESSOR_BENCH_THREADS. */
    private static Integer streamThreads() {
        String threads = System.getenv("PROCESSOR_BENCH_THREADS");
        return threads == null || threads.isBlank() ? null : Integer.valueOf(threads.trim());
    }

    /** Both apps' commit interval: the processor's default, or PROCESSOR_BENCH_COMMIT_MS. */
    private static java.time.Duration commitInterval() {
        String millis = System.getenv("PROCESSOR_BENCH_COMMIT_MS");
        return millis == null || millis.isBlank() ? null : java.time.Duration.ofMillis(Long.parseLong(millis.trim()));
    }

    private static void app(String kind, String bootstrap, String applicationId, Path stateDir) throws InterruptedException {
        if (kind.equals("processor")) {
            ProcessorConfig defaults = ProcessorConfig.defaults(bootstrap);
            ProcessorConfig config = new ProcessorConfig(applicationId, defaults.kafka(), null, null, stateDir,
                    streamThreads(), commitInterval(), null, null, null);
            new StreamProcessor(config, new SimpleMeterRegistry()).start();
        } else if (kind.equals("codec")) {
            // the least a processor of these records must do: read each value into a record and
            // write it back as JSON (the processor's own reader and writer)
            copy(applicationId, bootstrap, stateDir, RecordSerdes.raw(), "bench.codec");
        } else {
            copy(applicationId, bootstrap, stateDir, Serdes.ByteArray(), "bench.passthrough");
        }
        Thread.currentThread().join();
    }

    /** An app with the processor's Streams settings that copies logs.raw to {@code topic} through {@code values}. */
    private static <V> void copy(String applicationId, String bootstrap, Path stateDir, Serde<V> values, String topic) {
        ProcessorConfig config = new ProcessorConfig(applicationId, KafkaClientConfig.local(bootstrap), null, null, stateDir,
                streamThreads(), commitInterval(), null, null, null);
        Properties props = new StreamProcessor(config, new SimpleMeterRegistry()).streamsProperties();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(RAW, Consumed.with(Serdes.ByteArray(), values))
                .to(topic, Produced.with(Serdes.ByteArray(), values));
        new KafkaStreams(builder.build(), props).start();
    }

    private static void driver(int records, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("processor-bench");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), "localhost", port, 3)) {
            broker.start();
            broker.createTopics(TopicSpec.pipeline(TopicNames.DEFAULTS, 3));
            broker.createTopics(List.of(new TopicSpec("bench.passthrough", 3, Map.of()), new TopicSpec("bench.codec", 3, Map.of())));
            long bytes = produce(broker.bootstrapServers(), records);
            System.out.printf("%,d raw records (%.1f MB of JSON) in %s, 3 partitions%n", records, bytes / 1e6, RAW);
            double bestPass = 0;
            double bestProc = 0;
            for (int round = 1; round <= rounds; round++) {
                Run pass = run("passthrough", broker.bootstrapServers(), "bench-pass-" + round, dir, records, false);
                Run codec = CODEC ? run("codec", broker.bootstrapServers(), "bench-codec-" + round, dir, records, false) : null;
                Run proc = run("processor", broker.bootstrapServers(), "bench-proc-" + round, dir, records, true);
                if (codec != null) {
                    System.out.printf("round %d: decode and encode only %,.0f records/s (%.1f CPU-µs/record): %.0f %% of pass-through"
                                    + " by wall clock, %.0f %% by CPU%n", round, codec.recordsPerSecond(), codec.cpuMicrosPerRecord(),
                            100 * codec.recordsPerSecond() / pass.recordsPerSecond(), 100 * pass.cpuMicrosPerRecord() / codec.cpuMicrosPerRecord());
                }
                System.out.printf("round %d: pass-through %,.0f records/s (%.1f CPU-µs/record), processor %,.0f records/s"
                                + " (%.1f CPU-µs/record): %.0f %% of pass-through by wall clock, %.0f %% by CPU%n",
                        round, pass.recordsPerSecond(), pass.cpuMicrosPerRecord(), proc.recordsPerSecond(), proc.cpuMicrosPerRecord(),
                        100 * proc.recordsPerSecond() / pass.recordsPerSecond(), 100 * pass.cpuMicrosPerRecord() / proc.cpuMicrosPerRecord());
                bestPass = Math.max(bestPass, pass.recordsPerSecond());
                bestProc = Math.max(bestProc, proc.recordsPerSecond());
            }
            System.out.printf("best: pass-through %,.0f records/s, processor %,.0f records/s: %.0f %% of pass-through%n",
                    bestPass, bestProc, 100 * bestProc / bestPass);
        }
    }

    private static Run run(String kind, String bootstrap, String applicationId, Path dir, int records, boolean repartition)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // both apps run with the JVM options bin/logpipe gives the processor (and a fixed heap)
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xss512k", "-Xmx1g"));
        // e.g. PROCESSOR_JVM_OPTS="-XX:StartFlightRecording=filename=/tmp/proc.jfr,settings=profile" for the
        // processor only; BENCH_APP_JVM_OPTS for every app, {app} standing for its kind (passthrough, codec, processor)
        String extra = System.getenv().getOrDefault("PROCESSOR_JVM_OPTS", "").trim();
        if (!extra.isEmpty() && kind.equals("processor")) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        String every = System.getenv().getOrDefault("BENCH_APP_JVM_OPTS", "").trim();
        if (!every.isEmpty()) {
            command.addAll(List.of(every.replace("{app}", kind).split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "ProcessorBench",
                "app", kind, bootstrap, applicationId, dir.resolve(applicationId).toString()));
        Process app = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve(applicationId + ".log").toFile()).start();
        // JVM start, group join, task assignment and JIT warm-up (the processor runs much more code
        // than a copy: Jackson, RocksDB, the window operators) are not throughput: the clock starts
        // once the app has committed a quarter of the records and counts only those after it
        long firstCommitNanos = 0;
        long committedAtFirst = 0;
        Duration cpuAtFirst = Duration.ZERO;
        Duration brokerCpuAtFirst = Duration.ZERO;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (true) {
                long committed = committed(admin, applicationId, RAW);
                if (firstCommitNanos == 0 && committed >= records / 4) {
                    firstCommitNanos = System.nanoTime();
                    committedAtFirst = committed;
                    cpuAtFirst = cpu(app);
                    brokerCpuAtFirst = cpu(ProcessHandle.current());
                }
                if (committed >= records
                        && (!repartition || caughtUp(admin, applicationId, applicationId + "-error-rate-groups-repartition"))) {
                    break;
                }
                if (!app.isAlive()) {
                    throw new IllegalStateException(kind + " exited; see " + dir.resolve(applicationId + ".log"));
                }
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - firstCommitNanos) / 1e9;
            double cpuMicros = cpu(app).minus(cpuAtFirst).toNanos() / 1e3;
            double brokerCpuMicros = cpu(ProcessHandle.current()).minus(brokerCpuAtFirst).toNanos() / 1e3;
            long counted = records - committedAtFirst;
            double busy = (cpuMicros + brokerCpuMicros) / 1e6 / seconds / Runtime.getRuntime().availableProcessors();
            Run run = new Run(counted / seconds, cpuMicros / counted, brokerCpuMicros / counted, busy);
            System.out.printf("  %s: %,.0f records/s, CPU-µs a record: %.1f in the app, %.1f in the broker's JVM;"
                    + " the two JVMs kept %.0f %% of the machine's %d cores busy%n", kind, run.recordsPerSecond(),
                    run.cpuMicrosPerRecord(), run.brokerCpuMicrosPerRecord(), 100 * busy, Runtime.getRuntime().availableProcessors());
            return run;
        } finally {
            app.destroy();
            app.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Records/s in wall-clock time; CPU time per record of the app's JVM (all its threads) and of
     * the driver's JVM (the broker, and this driver's polling); the share of the machine both used.
     */
    private record Run(double recordsPerSecond, double cpuMicrosPerRecord, double brokerCpuMicrosPerRecord, double machineBusy) {
    }

    private static Duration cpu(Process app) {
        return cpu(app.toHandle());
    }

    private static Duration cpu(ProcessHandle process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Records of {@code topic} the group has committed (under exactly-once, commit markers are not records). */
    private static long committed(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        long sum = 0;
        for (var entry : committed.entrySet()) {
            if (entry.getKey().topic().equals(topic) && entry.getValue() != null) {
                sum += entry.getValue().offset();
            }
        }
        return sum;
    }

    /** True when the group has committed the end of every partition of the topic. */
    private static boolean caughtUp(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        var latest = admin.listOffsets(ends).all().get(10, TimeUnit.SECONDS);
        for (var end : latest.entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            // under exactly-once the end offset may be a transaction marker the group never needs to pass
            if (end.getValue().offset() > 0 && (offset == null || offset.offset() < end.getValue().offset() - 1)) {
                return false;
            }
        }
        return true;
    }

    /** The homelab's record mix ({@link BenchRecords}) into logs.raw, keyed by source as the collector keys them. */
    private static long produce(String bootstrap, int records) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        BenchRecords mix = new BenchRecords();
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                RawRecord record = mix.next();
                byte[] value = RecordCodec.encode(record);
                bytes += value.length;
                producer.send(new ProducerRecord<>(RAW, record.source().getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
        return bytes;
    }
}

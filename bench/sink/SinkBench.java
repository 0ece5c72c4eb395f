import com.sun.net.httpserver.HttpServer;
import io.logpipe.kafka.TopicNames;
import io.logpipe.kafka.TopicSpec;
import io.logpipe.kafka.embedded.EmbeddedKafkaBroker;
import io.logpipe.labels.LabelSet;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.Level;
import io.logpipe.record.RecordCodec;
import io.logpipe.sink.LokiSink;
import io.logpipe.sink.SinkConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * loki-sink benchmark: a backlog of N enriched records in Kafka, drained by a sink in a JVM of
 * its own into an endpoint that answers 204 at once; then, with that sink running, a second
 * backlog of N records built while the endpoint answers 503, drained when it answers again (an
 * outage, what the sink is for). Run by bench/sink/run.sh.
 *
 * <p>Modes: {@code driver N} (broker, backlog, endpoint, measurement) and
 * {@code sink BOOTSTRAP URL} (the sink process under test).
 */
public final class SinkBench {
    private static final String GROUP = "logpipe-loki-sink";

    public static void main(String[] args) throws Exception {
        if (args[0].equals("sink")) {
            SinkConfig config = SinkConfig.of(args[1], args[2]);
            LokiSink sink = new LokiSink(config, new SimpleMeterRegistry());
            sink.start();
            Thread.currentThread().join();
        } else {
            try {
                driver(Integer.parseInt(args[1]));
            } catch (Exception e) {
                // the broker's and the endpoint's threads would keep a failed run alive
                e.printStackTrace();
                System.exit(1);
            }
        }
    }

    private static void driver(int records) throws Exception {
        Path data = Files.createTempDirectory("sink-bench");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(data, "127.0.0.1", port, 3).start()) {
            broker.createTopics(TopicSpec.pipeline(TopicNames.DEFAULTS, 3));
            long lineBytes = produce(broker.bootstrapServers(), records, 0);
            System.out.printf("backlog: %,d records, %.1f MB of lines in logs.enriched%n", records, lineBytes / 1e6);

            AtomicLong sinkPid = new AtomicLong();
            AtomicBoolean down = new AtomicBoolean();
            AtomicReference<Pushes> pushes = new AtomicReference<>(new Pushes());
            HttpServer loki = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            java.util.concurrent.ExecutorService answering = Executors.newFixedThreadPool(2);
            loki.setExecutor(answering);
            loki.createContext("/loki/api/v1/push", exchange -> {
                int bytes = exchange.getRequestBody().readAllBytes().length;
                if (down.get()) {
                    exchange.sendResponseHeaders(503, -1);
                } else {
                    pushes.get().accepted(bytes, cpuTicks(sinkPid.get()));
                    exchange.sendResponseHeaders(204, -1);
                }
                exchange.close();
            });
            loki.start();

            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            long started = System.nanoTime();
            // the garbage collector and stack size bin/logpipe starts the sink with (DEFAULT_JAVA_OPTS), and a fixed heap
            List<String> command = new java.util.ArrayList<>(List.of(javaBin, "-XX:+UseSerialGC", "-Xss512k", "-Xms512m", "-Xmx1g"));
            String extraOptions = System.getenv("SINK_JVM_OPTS"); // e.g. a JFR recording
            if (extraOptions != null && !extraOptions.isBlank()) {
                command.addAll(List.of(extraOptions.trim().split("\\s+")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    "SinkBench", "sink", broker.bootstrapServers(), "http://127.0.0.1:" + loki.getAddress().getPort()));
            Process sink = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(data.resolve("sink.log").toFile()).start();
            sinkPid.set(sink.pid());
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                awaitCommitted(admin, sink, data);
                Pushes cold = pushes.get();
                double drain = (cold.lastNanos - started) / 1e9;
                System.out.printf("%n1. a fresh sink drains the backlog (JVM start, JIT compilation and all)%n");
                System.out.printf("drain of the backlog: %.1f s from the sink's start (JVM start and group join included)%n", drain);
                cold.report(records, lineBytes);
                long[] total = cpuTicks(sink.pid());
                System.out.printf("sink process CPU so far: %.1f s (user %.1f, system %.1f) = %.2f CPU-s per million lines%n",
                        (total[0] + total[1]) / 100.0, total[0] / 100.0, total[1] / 100.0, (total[0] + total[1]) / 100.0 / (records / 1e6));

                // the case the sink exists for: Loki goes away, the backlog waits in Kafka, Loki returns
                down.set(true);
                long outageBytes = produce(broker.bootstrapServers(), records, records);
                pushes.set(new Pushes());
                long back = System.nanoTime();
                down.set(false);
                awaitCommitted(admin, sink, data);
                Pushes after = pushes.get();
                System.out.printf("%n2. the running sink drains a backlog of %,d records built while Loki answered 503%n", records);
                System.out.printf("Loki back to the first accepted push (the sink's retry backoff): %.1f s; to the last: %.1f s%n",
                        (after.firstNanos - back) / 1e9, (after.lastNanos - back) / 1e9);
                after.report(records, outageBytes);
            }
            sink.destroy(); // SIGTERM, so that a JFR recording is written
            if (!sink.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                sink.destroyForcibly().waitFor();
            }
            loki.stop(0);
            answering.shutdownNow();
        }
    }

    private static void awaitCommitted(Admin admin, Process sink, Path data) throws Exception {
        Map<TopicPartition, Long> ends = endOffsets(admin);
        while (!committed(admin).equals(ends)) {
            if (!sink.isAlive()) {
                throw new IllegalStateException("the sink process died; see " + data.resolve("sink.log"));
            }
            Thread.sleep(100);
        }
    }

    /** The accepted pushes of one drain, with the sink's CPU ticks at each. */
    private static final class Pushes {
        private final List<Long> cpuAtPush = new java.util.ArrayList<>();
        private long firstNanos;
        private long lastNanos;
        private long bodyBytes;

        synchronized void accepted(int bytes, long[] ticks) {
            long now = System.nanoTime();
            if (firstNanos == 0) {
                firstNanos = now;
            }
            lastNanos = now;
            bodyBytes += bytes;
            cpuAtPush.add(ticks[0] + ticks[1]);
        }

        synchronized void report(int records, long lineBytes) {
            double pushing = (lastNanos - firstNanos) / 1e9;
            System.out.printf("first to last push: %.1f s, %,d pushes, %.1f MB snappy bodies%n", pushing, cpuAtPush.size(), bodyBytes / 1e6);
            System.out.printf("throughput: %,.0f lines/s, %.1f MB/s of lines%n", records / pushing, lineBytes / 1e6 / pushing);
            // CPU between the first and the last push: the lines of every push but the first
            double lines = records * (double) (cpuAtPush.size() - 1) / cpuAtPush.size();
            double cpu = (cpuAtPush.get(cpuAtPush.size() - 1) - cpuAtPush.get(0)) / 100.0;
            System.out.printf("sink CPU from first to last push: %.1f s for ~%,.0f lines = %.2f CPU-s per million lines%n",
                    cpu, lines, cpu / (lines / 1e6));
            // pushes carry about the same number of lines each, so a share of the pushes is that share of the lines
            int warmFrom = cpuAtPush.size() / 5;
            double warmLines = records * (double) (cpuAtPush.size() - 1 - warmFrom) / cpuAtPush.size();
            double warmCpu = (cpuAtPush.get(cpuAtPush.size() - 1) - cpuAtPush.get(warmFrom)) / 100.0;
            System.out.printf("sink CPU after the first fifth of the pushes: %.1f s for ~%,.0f lines = %.2f CPU-s per million lines%n",
                    warmCpu, warmLines, warmCpu / (warmLines / 1e6));
        }
    }

    /** Realistic lines of the plan's services, 40 streams, about 150 bytes a line. */
    private static long produce(String bootstrap, int records, int first) throws Exception {
        String[] apps = {"n8n", "postgresql", "redis", "qdrant", "grafana", "ollama", "litellm", "rocm-exporter"};
        String[] levels = {"info", "info", "info", "debug", "warn", "error"};
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        long base = System.currentTimeMillis() * 1_000_000L - 3_600_000_000_000L;
        long lineBytes = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = first; i < first + records; i++) {
                String app = apps[i % apps.length];
                String level = levels[(i / 7) % levels.length];
                Map<String, String> labels = Map.of("app", app, "namespace", "homelab", "level", level,
                        "pod", app + "-" + (i % 5), "node", "asuna");
                String line = "{\"level\":\"" + level + "\",\"ts\":\"2026-11-25T10:00:00." + (i % 1000)
                        + "Z\",\"msg\":\"request handled\",\"workflow\":\"sync-" + (i % 97) + "\",\"duration_ms\":" + (i % 3000)
                        + ",\"status\":200,\"trace\":\"" + Long.toHexString(base ^ i) + "\"}";
                lineBytes += line.length();
                EnrichedRecord record = new EnrichedRecord(1, base + i * 1000L, labels, Level.INFO, line, null,
                        Map.of("pod_uid", "7f9c2b1e-4a2d-" + (i % 5), "stream", "stdout"), "bench", null);
                producer.send(new ProducerRecord<>("logs.enriched",
                        LabelSet.of(labels).canonical().getBytes(StandardCharsets.UTF_8), RecordCodec.encode(record)));
            }
            producer.flush();
        }
        return lineBytes;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            query.put(new TopicPartition("logs.enriched", p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(query).all().get().forEach((p, info) -> ends.put(p, info.offset()));
        return ends;
    }

    private static Map<TopicPartition, Long> committed(Admin admin) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
        offsets.forEach((p, o) -> {
            if (o != null) {
                out.put(p, o.offset());
            }
        });
        return out;
    }

    /** utime and stime of a process in clock ticks (1/100 s) from /proc. */
    private static long[] cpuTicks(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }
}

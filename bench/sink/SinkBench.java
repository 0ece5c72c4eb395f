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
import java.util.concurrent.atomic.AtomicLong;
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
 * its own into an endpoint that answers 204 at once. Run by bench/sink/run.sh.
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
            long lineBytes = produce(broker.bootstrapServers(), records);
            System.out.printf("backlog: %,d records, %.1f MB of lines in logs.enriched%n", records, lineBytes / 1e6);

            AtomicLong requests = new AtomicLong();
            AtomicLong bodyBytes = new AtomicLong();
            AtomicLong firstPush = new AtomicLong();
            AtomicLong lastPush = new AtomicLong();
            AtomicLong sinkPid = new AtomicLong();
            long[][] cpuAtFirstPush = new long[1][];
            // the sink's CPU ticks at each push, for the figure once the JIT has warmed up
            List<Long> cpuAtPush = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            HttpServer loki = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            java.util.concurrent.ExecutorService answering = Executors.newFixedThreadPool(2);
            loki.setExecutor(answering);
            loki.createContext("/loki/api/v1/push", exchange -> {
                bodyBytes.addAndGet(exchange.getRequestBody().readAllBytes().length);
                long now = System.nanoTime();
                if (firstPush.compareAndSet(0, now)) {
                    try {
                        cpuAtFirstPush[0] = cpuTicks(sinkPid.get());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                lastPush.set(now);
                requests.incrementAndGet();
                try {
                    long[] ticks = cpuTicks(sinkPid.get());
                    cpuAtPush.add(ticks[0] + ticks[1]);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                exchange.sendResponseHeaders(204, -1);
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
                Map<TopicPartition, Long> ends = endOffsets(admin);
                while (!committed(admin).equals(ends)) {
                    if (!sink.isAlive()) {
                        throw new IllegalStateException("the sink process died; see " + data.resolve("sink.log"));
                    }
                    Thread.sleep(100);
                }
            }
            long[] cpuTicks = cpuTicks(sink.pid());
            sink.destroy(); // SIGTERM, so that a JFR recording is written
            if (!sink.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                sink.destroyForcibly().waitFor();
            }
            loki.stop(0);
            answering.shutdownNow();

            double drain = (lastPush.get() - started) / 1e9;
            double pushing = (lastPush.get() - firstPush.get()) / 1e9;
            double cpuSeconds = (cpuTicks[0] + cpuTicks[1]) / 100.0;
            System.out.printf("drain of the backlog: %.1f s from the sink's start (JVM start and group join included)%n", drain);
            System.out.printf("first to last push: %.1f s, %,d pushes, %.1f MB snappy bodies%n", pushing, requests.get(), bodyBytes.get() / 1e6);
            System.out.printf("throughput: %,.0f lines/s, %.1f MB/s of lines%n", records / pushing, lineBytes / 1e6 / pushing);
            double drainCpu = (cpuTicks[0] + cpuTicks[1] - cpuAtFirstPush[0][0] - cpuAtFirstPush[0][1]) / 100.0;
            System.out.printf("sink CPU from first to last push: %.1f s = %.2f CPU-s per million lines%n",
                    drainCpu, drainCpu / (records / 1e6));
            // pushes carry about the same number of lines each, so a share of the pushes is that share of the lines
            int warmFrom = cpuAtPush.size() / 5;
            double warmLines = records * (double) (cpuAtPush.size() - 1 - warmFrom) / cpuAtPush.size();
            double warmCpu = (cpuAtPush.get(cpuAtPush.size() - 1) - cpuAtPush.get(warmFrom)) / 100.0;
            System.out.printf("sink CPU after the first fifth of the pushes (JIT warm): %.1f s for ~%,.0f lines = %.2f CPU-s per million lines%n",
                    warmCpu, warmLines, warmCpu / (warmLines / 1e6));
            System.out.printf("sink process CPU: %.1f s (user %.1f, system %.1f) = %.2f CPU-s per million lines%n",
                    cpuSeconds, cpuTicks[0] / 100.0, cpuTicks[1] / 100.0, cpuSeconds / (records / 1e6));
        }
    }

    /** Realistic lines of the plan's services, 40 streams, about 150 bytes a line. */
    private static long produce(String bootstrap, int records) throws Exception {
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
            for (int i = 0; i < records; i++) {
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
    private static long[] cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }
}

import com.sun.net.httpserver.HttpServer;
import io.logpipe.sink.push.proto.LokiPush;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.xerial.snappy.Snappy;

/**
 * End-to-end benchmark of `logpipe local` (bin/logpipe, so with its shipped JVM options): lines are
 * appended to a log file, read by the collector, enriched, pushed to a Loki endpoint here that
 * decodes each push (snappy protobuf) and answers 204 at once.
 *   phase 1: a fixed rate (default 10 000 lines/s for 30 s): latency from a line's write to
 *            the Loki push that carried it, p50/p99/max;
 *   phase 2: a backlog written as fast as possible: lines/s from file to Loki.
 * At the end: peak RSS (VmHWM) and CPU seconds of the logpipe process.
 */
public final class E2eBench {
    private static final int LINE_BYTES = 200;
    private static final AtomicLong received = new AtomicLong();
    private static volatile long[] latencies = new long[0];
    private static volatile long[] writtenAt = new long[0];
    private static final AtomicLong latencyCount = new AtomicLong();

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path launcher = Path.of(args[1]);
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int backlog = Integer.parseInt(args[4]);
        Files.createDirectories(work.resolve("logs"));
        latencies = new long[rate * seconds + 10];
        writtenAt = new long[rate * seconds + 10];

        HttpServer loki = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        loki.createContext("/loki/api/v1/push", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long now = epochNanos();
            LokiPush.PushRequest push = LokiPush.PushRequest.parseFrom(Snappy.uncompress(body));
            for (LokiPush.StreamAdapter stream : push.getStreamsList()) {
                for (LokiPush.EntryAdapter entry : stream.getEntriesList()) {
                    String line = entry.getLine();
                    int t = line.indexOf(" t=");
                    if (t > 0 && line.contains(" latency ")) {
                        long written = Long.parseLong(line.substring(t + 3, line.indexOf(' ', t + 3)));
                        long i = latencyCount.getAndIncrement();
                        if (i < latencies.length) {
                            latencies[(int) i] = now - written;
                            writtenAt[(int) i] = written;
                        }
                    }
                    received.incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        loki.start();

        Path config = work.resolve("local.yaml");
        Files.writeString(config, """
                collector:
                  sources:
                    files:
                      - name: bench
                        paths: ["%s/logs/*.log"]
                        labels: {job: bench, host: bench}
                        start_at: beginning
                        timestamp: {format: rfc3339}
                sink:
                  batch: {max_wait: 100ms}
                """.formatted(work));
        Process logpipe = new ProcessBuilder("bash", "-c", "LOGPIPE_SKIP_BUILD=1 exec " + launcher
                + " local --config " + config + " --data-dir " + work.resolve("data")
                + " --loki-url http://127.0.0.1:" + loki.getAddress().getPort()
                + " --kafka-port " + freePort() + " --metrics-port " + freePort() + " --status-interval 0")
                .redirectErrorStream(true).redirectOutput(work.resolve("logpipe.out").toFile()).start();
        System.out.println("logpipe local pid " + logpipe.pid() + " (bin/logpipe's JVM options"
                + (System.getenv("LOGPIPE_JAVA_OPTS") == null ? "" : ", overridden: " + System.getenv("LOGPIPE_JAVA_OPTS")) + ")");

        Path file = work.resolve("logs").resolve("bench.log");
        append(file, line(0, "warmup"));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (received.get() == 0) {
            if (System.nanoTime() > deadline || !logpipe.isAlive()) {
                throw new IllegalStateException("the pipeline did not deliver the warm-up line; see " + work.resolve("logpipe.out"));
            }
            Thread.sleep(100);
        }
        latencyCount.set(0);

        // phase 1: fixed rate, latency
        long expected = received.get();
        long start = System.nanoTime();
        int perTick = rate / 100;
        long seq = 1;
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
            for (int tick = 0; tick < seconds * 100; tick++) {
                StringBuilder chunk = new StringBuilder(perTick * LINE_BYTES);
                for (int i = 0; i < perTick; i++) {
                    chunk.append(line(seq++, "latency"));
                }
                out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
                long next = start + (tick + 1) * 10_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        }
        expected += (long) perTick * seconds * 100;
        waitFor(expected);
        long n = Math.min(latencyCount.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, (int) n);
        Arrays.sort(sorted);
        System.out.printf("phase 1: %,d lines at %,d lines/s: latency write -> Loki push p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                n, rate, sorted[(int) (n * 0.50)] / 1e6, sorted[(int) (n * 0.99)] / 1e6, sorted[(int) n - 1] / 1e6);
        // the worst latency of each second of writing: shows whether slow lines are a start-up transient or periodic
        long first = Arrays.stream(writtenAt, 0, (int) n).min().orElse(0);
        long[] worst = new long[seconds + 1];
        for (int i = 0; i < n; i++) {
            int second = (int) Math.min(seconds, (writtenAt[i] - first) / 1_000_000_000L);
            worst[second] = Math.max(worst[second], latencies[i]);
        }
        StringBuilder perSecond = new StringBuilder("phase 1: worst latency per second of writing (ms):");
        for (long w : worst) {
            perSecond.append(' ').append(w / 1_000_000);
        }
        System.out.println(perSecond);
        long[] steady = java.util.stream.IntStream.range(0, (int) n)
                .filter(i -> writtenAt[i] - first >= 10_000_000_000L).mapToLong(i -> latencies[i]).sorted().toArray();
        if (steady.length > 0) {
            System.out.printf("phase 1 after the first 10 s (JIT warm-up from idle): %,d lines, p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
                    steady.length, steady[steady.length / 2] / 1e6, steady[(int) (steady.length * 0.99)] / 1e6,
                    steady[steady.length - 1] / 1e6);
        }

        // phase 2: backlog as fast as possible
        Path second = work.resolve("logs").resolve("backlog.log");
        long t0 = System.nanoTime();
        try (OutputStream out = Files.newOutputStream(second, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            StringBuilder chunk = new StringBuilder(1 << 20);
            for (int i = 0; i < backlog; i++) {
                chunk.append(line(seq++, "backlog"));
                if (chunk.length() > (1 << 20) - LINE_BYTES) {
                    out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
                    chunk.setLength(0);
                }
            }
            out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
        }
        expected += backlog;
        waitFor(expected);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("phase 2: %,d lines of %d bytes from file to Loki in %.1f s: %,.0f lines/s, %.1f MB/s%n",
                backlog, LINE_BYTES, secs, backlog / secs, backlog * (double) LINE_BYTES / secs / 1e6);

        String status = Files.readString(Path.of("/proc/" + logpipe.pid() + "/status"));
        String[] stat = Files.readString(Path.of("/proc/" + logpipe.pid() + "/stat")).split(" ");
        double cpu = (Long.parseLong(stat[13]) + Long.parseLong(stat[14])) / 100.0;
        System.out.printf("logpipe local: peak RSS %s, CPU %.1f s for %,d lines (%.1f CPU-s per million, broker included)%n",
                status.lines().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("?").replaceAll("\\s+", " "),
                cpu, expected, cpu / (expected / 1e6));
        logpipe.destroy();
        logpipe.waitFor(60, TimeUnit.SECONDS);
        loki.stop(0);
    }

    private static void waitFor(long expected) throws InterruptedException {
        long last = -1;
        long stuckSince = System.nanoTime();
        while (received.get() < expected) {
            if (received.get() != last) {
                last = received.get();
                stuckSince = System.nanoTime();
            } else if (System.nanoTime() - stuckSince > TimeUnit.SECONDS.toNanos(120)) {
                throw new IllegalStateException("stuck at " + last + " of " + expected + " lines");
            }
            Thread.sleep(5);
        }
    }

    private static String line(long seq, String phase) {
        String head = Instant.now() + " bench " + phase + " seq=" + seq + " t=" + epochNanos() + " ";
        return head + "x".repeat(Math.max(1, LINE_BYTES - head.length() - 1)) + "\n";
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

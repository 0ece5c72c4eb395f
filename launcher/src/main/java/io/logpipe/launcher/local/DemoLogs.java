package io.logpipe.launcher.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes realistic logs of the plan's services where the real collector reads them, so that
 * {@code logpipe local --demo} exercises the same code paths as production: CRI pod logs (with
 * partial lines) for n8n, PostgreSQL, Redis and Qdrant under {@code pods/}, and logfmt/JSON file
 * logs for Ollama and LiteLLM under {@code files/}, with occasional error bursts and a multiline
 * Python traceback.
 */
public final class DemoLogs implements AutoCloseable {
    private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter REDIS_TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final Path podsDir;
    private final Path filesDir;
    private final int linesPerSecond;
    private final Random random = new Random();
    private final Map<String, OutputStream> outputs = new LinkedHashMap<>();
    private final AtomicLong written = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-logs");
        t.setDaemon(true);
        return t;
    });
    private String burstService;
    private int burstLeft;

    /** The demo's pods as {@code namespace_pod_uid/container}. */
    static final List<String> PODS = List.of(
            "homelab_n8n-5d8f7c9b4-x2k9p_3f1c1e4a-0b5e-4c39-9a51-6c0e3a6f7d21/n8n",
            "homelab_postgres-0_8a2d6b7c-1f3e-4d2a-b6c9-2e7f8a9b0c13/postgres",
            "homelab_redis-7c9d8b6f5-q4w8z_5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e/redis",
            "homelab_qdrant-0_9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b/qdrant");

    public DemoLogs(Path dir, int linesPerSecond) {
        this.podsDir = dir.resolve("pods");
        this.filesDir = dir.resolve("files");
        this.linesPerSecond = Math.max(1, linesPerSecond);
    }

    public Path podsDir() {
        return podsDir;
    }

    public Path filesDir() {
        return filesDir;
    }

    public long linesWritten() {
        return written.get();
    }

    /** Creates the directories and starts writing in the background, ten times a second. */
    public DemoLogs start() {
        try {
            for (String pod : PODS) {
                Files.createDirectories(podsDir.resolve(pod));
            }
            Files.createDirectories(filesDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create demo log directories under " + podsDir.getParent(), e);
        }
        int perTick = Math.max(1, linesPerSecond / 10);
        timer.scheduleAtFixedRate(() -> tick(perTick), 0, 100, TimeUnit.MILLISECONDS);
        return this;
    }

    private synchronized void tick(int lines) {
        try {
            if (burstLeft == 0 && random.nextInt(600) == 0) {
                burstService = List.of("n8n", "postgres", "ollama", "litellm").get(random.nextInt(4));
                burstLeft = 40 + random.nextInt(80);
            }
            for (int i = 0; i < lines; i++) {
                writeOne(Instant.now());
            }
            for (OutputStream out : outputs.values()) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeOne(Instant now) throws IOException {
        boolean burst = burstLeft > 0;
        String service = burst ? burstService : List.of("n8n", "n8n", "postgres", "redis", "qdrant", "ollama", "ollama", "litellm")
                .get(random.nextInt(8));
        if (burst) {
            burstLeft--;
        }
        switch (service) {
            case "n8n" -> pod(0, now, burst
                    ? "{\"level\":\"error\",\"message\":\"Workflow execution failed\",\"workflowId\":\"" + random.nextInt(40)
                        + "\",\"error\":\"connect ECONNREFUSED 10.43.0.12:11434\"}"
                    : "{\"level\":\"info\",\"message\":\"Workflow executed successfully\",\"workflowId\":\"" + random.nextInt(40)
                        + "\",\"durationMs\":" + random.nextInt(3000) + "}");
            case "postgres" -> pod(1, now, burst
                    ? PG_TIME.format(now) + " [" + (100 + random.nextInt(900)) + "] FATAL:  remaining connection slots are reserved for non-replication superuser connections"
                    : random.nextInt(5) == 0
                        ? PG_TIME.format(now) + " [" + (100 + random.nextInt(900)) + "] LOG:  duration: " + (800 + random.nextInt(2000))
                            + ".412 ms  statement: SELECT * FROM execution_entity WHERE \"workflowId\" = $1 ORDER BY id DESC LIMIT 20"
                        : PG_TIME.format(now) + " [" + (100 + random.nextInt(900)) + "] LOG:  checkpoint complete: wrote "
                            + random.nextInt(500) + " buffers");
            case "redis" -> pod(2, now, random.nextInt(10) == 0
                    ? "1:M " + REDIS_TIME.format(now) + " # WARNING: evicting keys, used_memory above maxmemory"
                    : "1:M " + REDIS_TIME.format(now) + " * Background saving started by pid " + (1000 + random.nextInt(9000)));
            case "qdrant" -> pod(3, now, now + "  INFO actix_web::middleware::logger: 10.42.0.7 \"POST /collections/mem0/points/search HTTP/1.1\" 200 "
                    + random.nextInt(4000) + " \"-\" \"python-httpx/0.27.0\" 0.00" + random.nextInt(9));
            case "ollama" -> file("ollama/ollama.log", burst
                    ? "time=" + now + " level=ERROR source=server.go:612 msg=\"llama runner process has terminated\" error=\"signal: killed\""
                    : "time=" + now + " level=INFO source=routes.go:1224 msg=\"inference done\" model=llama3.1:8b tokens="
                        + random.nextInt(800) + " duration=" + random.nextInt(9000) + "ms");
            default -> {
                if (burst && random.nextInt(10) == 0) {
                    file("litellm/litellm.log", now + " ERROR litellm.router: model: ollama/llama3.1 failed\n"
                            + "Traceback (most recent call last):\n"
                            + "  File \"/app/litellm/router.py\", line 2210, in async_function_with_retries\n"
                            + "    response = await original_function(*args, **kwargs)\n"
                            + "httpx.ConnectError: All connection attempts failed");
                } else {
                    file("litellm/litellm.log", now + (burst ? " ERROR" : " INFO") + " litellm.router: model: ollama/llama3.1 routed, latency "
                            + random.nextInt(3000) + "ms");
                }
            }
        }
    }

    /** One CRI line; one in twenty is written as two partial lines that the collector must join. */
    private void pod(int index, Instant now, String message) throws IOException {
        String stream = message.contains("error") || message.contains("FATAL") ? "stderr" : "stdout";
        OutputStream out = output(podsDir.resolve(PODS.get(index)).resolve("0.log"));
        if (message.length() > 40 && random.nextInt(20) == 0) {
            int cut = message.length() / 2;
            write(out, now + " " + stream + " P " + message.substring(0, cut) + "\n");
            write(out, now + " " + stream + " F " + message.substring(cut) + "\n");
        } else {
            write(out, now + " " + stream + " F " + message + "\n");
        }
        written.incrementAndGet();
    }

    private void file(String name, String text) throws IOException {
        Path path = filesDir.resolve(name);
        Files.createDirectories(path.getParent());
        write(output(path), text + "\n");
        written.incrementAndGet();
    }

    private OutputStream output(Path path) throws IOException {
        OutputStream out = outputs.get(path.toString());
        if (out == null) {
            out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            outputs.put(path.toString(), out);
        }
        return out;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Paths of the demo's files, for the collector's config. */
    static List<String> fileNames() {
        return new ArrayList<>(List.of("ollama/ollama.log", "litellm/litellm.log"));
    }

    @Override
    public synchronized void close() {
        timer.shutdownNow();
        for (OutputStream out : outputs.values()) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the demo's own files; nothing to save
            }
        }
    }
}

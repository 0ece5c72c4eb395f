package io.logpipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code logpipe kafka} as a user runs it: a separate JVM, stopped with SIGTERM, restarted on the same data. */
class KafkaCommandTest {

    @Test
    void startsWithThePipelineTopicsStopsOnSigtermAndKeepsDataOnRestart(@TempDir Path dir) throws Exception {
        int port = freePort();
        Path data = dir.resolve("kafka");

        Process first = start(data, port);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "localhost:" + port))) {
            assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS))
                    .contains("logs.raw", "logs.enriched", "logs.dlq", "logs.error-rates");
            admin.createTopics(List.of(new NewTopic("kept-across-restart", 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        first.destroy(); // SIGTERM
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();

        Process second = start(data, port);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", "localhost:" + port))) {
            assertThat(admin.listTopics().names().get(60, TimeUnit.SECONDS)).contains("kept-across-restart");
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static Process start(Path data, int port) throws IOException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Logpipe.class.getName(),
                "kafka", "--data-dir", data.toString(), "--port", Integer.toString(port))
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.contains("broker ready at localhost:" + port)) {
                        Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
                        drain.setDaemon(true);
                        drain.start();
                        return line;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        await().atMost(Duration.ofSeconds(120)).until(ready::isDone);
        assertThat(ready.join()).as("logpipe kafka printed its address").isNotNull();
        return process;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

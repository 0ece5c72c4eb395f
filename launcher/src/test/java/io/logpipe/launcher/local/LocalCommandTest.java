package io.logpipe.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.logpipe.launcher.Logpipe;
import io.logpipe.testkit.loki.LokiTestServer;
import io.logpipe.testkit.loki.StoredEntry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code logpipe local --demo} as a newcomer runs it: its own JVM, a Loki to push to, Ctrl-C, and a restart. */
class LocalCommandTest {

    @TempDir
    Path dir;

    @Test
    void demoPipelineReachesLokiWithThePlansLabelsAndStopsCleanly() throws Exception {
        int kafkaPort = freePort();
        int metricsPort = freePort();
        Path output = dir.resolve("local.out");
        try (LokiTestServer loki = LokiTestServer.start()) {
            Process local = start(loki, kafkaPort, metricsPort, output);
            try {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    assertThat(streams(loki, "namespace", "homelab")).as("pod logs of the plan's services; output:%n%s",
                            Files.readString(output)).isNotEmpty();
                    assertThat(streams(loki, "job", "ollama")).as("Ollama's file logs").isNotEmpty();
                });
                List<StoredEntry> n8n = loki.entries().stream().filter(e -> e.labels().getOrDefault("pod", "").startsWith("n8n")).toList();
                assertThat(n8n).isNotEmpty().allSatisfy(e -> assertThat(e.labels())
                        .containsEntry("namespace", "homelab").containsEntry("container", "n8n").containsKey("level"));
                assertThat(streams(loki, "service", "litellm")).allSatisfy(e -> assertThat(e.labels()).containsEntry("host", "pesubuntu"));

                HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(metrics.body()).contains("logpipe_collector_").contains("logpipe_processor_lines").contains("logpipe_sink_")
                        .contains("jvm_memory_used_bytes");
                await().atMost(Duration.ofMinutes(1)).until(() -> Files.readString(output).contains("logpipe local: collected "));
            } finally {
                local.destroy(); // SIGTERM, as Ctrl-C
                assertThat(local.waitFor(90, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            }
            // 143 = 128 + SIGTERM: how a JVM exits on SIGTERM once its shutdown hooks have run
            assertThat(local.exitValue()).isEqualTo(143);
            assertThat(Files.readString(output)).doesNotContain("error while stopping");
            assertThat(Files.list(dir.resolve("data").resolve("collector")).toList()).as("checkpoints saved").isNotEmpty();

            int before = loki.count();
            Process again = start(loki, kafkaPort, metricsPort, output);
            try {
                await().atMost(Duration.ofMinutes(3)).until(() -> loki.count() > before);
            } finally {
                again.destroy();
                again.waitFor(90, TimeUnit.SECONDS);
            }
            assertThat(loki.duplicatesDropped()).as("a restart continues where it stopped: nothing re-sent").isZero();
        }
    }

    private Process start(LokiTestServer loki, int kafkaPort, int metricsPort, Path output) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Logpipe.class.getName(),
                "local", "--demo", "--demo-rate", "200", "--data-dir", dir.resolve("data").toString(),
                "--config", writeConfig().toString(),
                "--loki-url", loki.url(), "--kafka-port", Integer.toString(kafkaPort),
                "--metrics-port", Integer.toString(metricsPort), "--status-interval", "2")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
    }

    /** No sources of its own, so only the demo's: this machine's journal and /var/log would make the test depend on the machine. */
    private Path writeConfig() throws IOException {
        Path config = dir.resolve("local.yaml");
        Files.writeString(config, """
                collector:
                  checkpoint_interval: 200ms
                processor:
                  commit_interval: 200ms
                sink:
                  batch: {max_wait: 200ms}
                """);
        return config;
    }

    private static List<StoredEntry> streams(LokiTestServer loki, String label, String value) {
        return loki.entries().stream().filter(e -> value.equals(e.labels().get(label))).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

package io.logpipe.launcher.e2e;

import io.logpipe.kafka.TopicNames;
import io.logpipe.kafka.TopicSpec;
import io.logpipe.kafka.embedded.EmbeddedKafkaBroker;
import io.logpipe.testkit.loki.LokiTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole pipeline as deployed, on one machine: a restartable single-node broker and the
 * Loki test server in the test JVM, and the collector, stream-processor and loki-sink each in
 * its own JVM, started from the same {@code logpipe} command users run.
 *
 * <p>The collector reads {@code pods/} (CRI logs, kubelet layout), {@code files/*.log} and the
 * journal files in {@code journal/}: {@link #podLog}, {@link #fileLog} and {@link #journalDir}.
 */
final class PipelineHarness implements AutoCloseable {
    final Path dir;
    final EmbeddedKafkaBroker broker;
    final LokiTestServer loki;
    private final Map<String, ComponentProcess> components = new LinkedHashMap<>();

    PipelineHarness(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("pods"));
        Files.createDirectories(dir.resolve("files"));
        Files.createDirectories(dir.resolve("journal"));
        Files.createDirectories(dir.resolve("logs"));
        broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), "localhost", 0, 3).start();
        broker.createTopics(TopicSpec.pipeline(TopicNames.DEFAULTS, 3));
        loki = LokiTestServer.start();
        component("collector", """
                host: e2e-node
                kafka: {bootstrap_servers: %1$s}
                metrics: {enabled: false}
                checkpoint_dir: %2$s/checkpoints
                checkpoint_interval: 200ms
                sources:
                  pods:
                    - name: pods
                      paths: ["%2$s/pods/*/*/*.log"]
                      node_name: asuna
                      kubernetes_metadata: false
                      poll_interval: 100ms
                      scan_interval: 500ms
                  files:
                    - name: syslog
                      paths: ["%2$s/files/*.log"]
                      labels: {job: syslog, host: pesubuntu}
                      start_at: beginning
                      timestamp: {format: rfc3339}
                      poll_interval: 100ms
                      scan_interval: 500ms
                  journald:
                    - name: journal
                      directory: %2$s/journal
                      labels: {job: systemd-journal, host: pesubuntu}
                      max_age: 24h
                """.formatted(broker.bootstrapServers(), dir));
        component("processor", """
                kafka: {bootstrap_servers: %s}
                metrics: {enabled: false}
                state_dir: %s/processor-state
                commit_interval: 200ms
                """.formatted(broker.bootstrapServers(), dir));
        component("sink", """
                kafka: {bootstrap_servers: %s}
                metrics: {enabled: false}
                loki: {url: "%s", timeout: 5s}
                batch: {max_wait: 200ms}
                retry: {min_backoff: 100ms, max_backoff: 2s}
                """.formatted(broker.bootstrapServers(), loki.url()));
    }

    private void component(String command, String yaml) throws IOException {
        Path config = dir.resolve(command + ".yaml");
        Files.writeString(config, yaml);
        components.put(command, new ComponentProcess(command, config, dir.resolve("logs").resolve(command + ".log")));
    }

    PipelineHarness startAll() throws IOException {
        for (ComponentProcess component : components.values()) {
            component.start();
        }
        return this;
    }

    ComponentProcess component(String name) {
        return components.get(name);
    }

    Iterable<ComponentProcess> components() {
        return components.values();
    }

    Path podLog(String namespace, String pod, String uid, String container) throws IOException {
        Path containerDir = dir.resolve("pods").resolve(namespace + "_" + pod + "_" + uid).resolve(container);
        Files.createDirectories(containerDir);
        return containerDir.resolve("0.log");
    }

    Path fileLog(String name) {
        return dir.resolve("files").resolve(name);
    }

    Path journalDir() {
        return dir.resolve("journal");
    }

    /** The components' own output, for a failing test's message. */
    String logs() {
        StringBuilder out = new StringBuilder();
        for (ComponentProcess component : components.values()) {
            try {
                String text = Files.exists(component.log()) ? Files.readString(component.log()) : "";
                out.append("\n===== ").append(component.name()).append(" =====\n")
                        .append(text.length() > 6000 ? text.substring(text.length() - 6000) : text);
            } catch (IOException e) {
                out.append(e);
            }
        }
        return out.toString();
    }

    @Override
    public void close() throws Exception {
        for (ComponentProcess component : components.values()) {
            component.stop();
        }
        loki.close();
        broker.close();
    }
}

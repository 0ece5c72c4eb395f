package io.logpipe.launcher.local;

import io.logpipe.collector.Collector;
import io.logpipe.collector.CollectorConfig;
import io.logpipe.config.ConfigLoader;
import io.logpipe.kafka.TopicNames;
import io.logpipe.kafka.TopicSpec;
import io.logpipe.kafka.embedded.EmbeddedKafkaBroker;
import io.logpipe.launcher.DataDirectory;
import io.logpipe.observability.MetricsConfig;
import io.logpipe.observability.MetricsEndpoint;
import io.logpipe.processor.StreamProcessor;
import io.logpipe.sink.LokiSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code logpipe local}: the whole pipeline in one process — embedded broker, collector,
 * stream-processor and Loki sink, each with the config it would have in production.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Runs the whole pipeline in one process on an embedded single-node Kafka broker:",
            "collector -> logs.raw -> stream-processor -> logs.enriched -> loki-sink -> Loki ($LOKI_URL).",
            "Without --config it collects this machine's journald (when journalctl works) and readable /var/log files.",
            "While no Loki answers, the backlog waits in Kafka. Ctrl-C stops it with checkpoints saved; a restart continues."})
public final class LocalCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "State: Kafka data, checkpoints, processor state (default: ${XDG_DATA_HOME:-~/.local/share}/logpipe/local).")
    Path dataDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = {"YAML with collector:, processor: and sink: sections, each as in production (instead of this machine's defaults).",
                "Left out: kafka (the embedded broker), sink.loki.url (--loki-url), checkpoint and state dirs (--data-dir)."})
    Path config;

    @Option(names = "--demo", description = "Also generate realistic logs of the plan's services (n8n, PostgreSQL, Redis, Qdrant pods; Ollama, LiteLLM files).")
    boolean demo;

    @Option(names = "--demo-rate", defaultValue = "50", paramLabel = "N", description = "Demo lines per second (default: ${DEFAULT-VALUE}).")
    int demoRate;

    @Option(names = "--loki-url", defaultValue = "${env:LOKI_URL:-http://localhost:3100}", paramLabel = "URL",
            description = "Where the sink pushes (default: $LOKI_URL or http://localhost:3100).")
    String lokiUrl;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Port of the embedded broker (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--metrics-port", defaultValue = "9400", description = "/metrics, /healthz, /readyz of the whole process (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--status-interval", defaultValue = "10", paramLabel = "SECONDS", description = "Seconds between status lines (default: ${DEFAULT-VALUE}; 0 turns them off).")
    int statusInterval;

    @Override
    public Integer call() throws Exception {
        Path dir = dataDir != null ? dataDir : DataDirectory.defaultBase().resolve("local");
        LocalPipeline pipeline = new LocalPipeline(dir, kafkaPort, metricsPort);
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close, "local-shutdown"));
        pipeline.start(config, demo ? demoRate : 0, lokiUrl, statusInterval, System.out);
        pipeline.awaitClosed();
        return 0;
    }

    /** The running pieces of {@code logpipe local}, started in pipeline order and closed in reverse. */
    static final class LocalPipeline implements AutoCloseable {
        private final Path dataDir;
        private final int kafkaPort;
        private final int metricsPort;
        private final List<AutoCloseable> started = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch stopping = new CountDownLatch(1);
        private final CountDownLatch closed = new CountDownLatch(1);
        private volatile Thread statusThread;

        LocalPipeline(Path dataDir, int kafkaPort, int metricsPort) {
            this.dataDir = dataDir;
            this.kafkaPort = kafkaPort;
            this.metricsPort = metricsPort;
        }

        void start(Path configFile, int demoRate, String lokiUrl, int statusSeconds, java.io.PrintStream out) throws Exception {
            long begin = System.nanoTime();
            DemoLogs demo = demoRate > 0 ? new DemoLogs(dataDir.resolve("demo"), demoRate) : null;
            var tree = configFile != null ? LocalDefaults.fromFile(configFile) : LocalDefaults.machineDefaults(CollectorConfig.localHostName());
            if (demo != null) {
                LocalDefaults.addDemoSources(tree, demo);
            }
            String yaml = LocalDefaults.complete(tree, dataDir, lokiUrl);

            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir.resolve("kafka"), "localhost", kafkaPort, 3);
            ConfigLoader loader = new ConfigLoader(name -> LocalDefaults.BOOTSTRAP_VARIABLE.equals(name)
                    ? broker.bootstrapServers() : System.getenv(name));
            LocalConfig config = loader.parse(yaml, LocalConfig.class,
                    configFile != null ? configFile.toString() : "(logpipe local defaults)");

            MetricsEndpoint endpoint = new MetricsEndpoint();
            started.add(endpoint);
            broker.start();
            started.add(broker);
            broker.createTopics(TopicSpec.pipeline(TopicNames.DEFAULTS, 3));
            if (!config.collector().topics().equals(TopicNames.DEFAULTS)) {
                broker.createTopics(TopicSpec.pipeline(config.collector().topics(), 3));
            }
            out.printf("logpipe local: Kafka ready at %s (data in %s)%n", broker.bootstrapServers(), dataDir.toAbsolutePath());

            StreamProcessor processor = new StreamProcessor(config.processor(), endpoint.registry());
            processor.start();
            started.add(processor);
            LokiSink sink = new LokiSink(config.sink(), endpoint.registry());
            sink.start();
            started.add(sink);
            if (demo != null) {
                demo.start();
                started.add(demo);
                out.println("logpipe local: demo logs under " + demo.podsDir().getParent());
            }
            Collector collector = new Collector(config.collector(), endpoint.registry());
            collector.start();
            started.add(collector);
            endpoint.readinessCheck("collector", collector::ready);
            endpoint.readinessCheck("stream-processor", processor::isRunning);
            endpoint.readinessCheck("loki-sink", sink::running);
            int port = endpoint.start(MetricsConfig.onPort(metricsPort));
            out.printf("logpipe local: pipeline running in %.1f s; metrics on http://localhost:%d/metrics;"
                    + " pushing to %s; follow it with: bin/logpipe tail%n", (System.nanoTime() - begin) / 1e9, port,
                    config.sink().loki().url());
            if (statusSeconds > 0) {
                statusThread = new Thread(() -> report(new PipelineStatus(endpoint.registry()), sink, config.sink().loki().url(),
                        statusSeconds, out), "local-status");
                statusThread.setDaemon(true);
                statusThread.start();
            }
        }

        private void report(PipelineStatus status, LokiSink sink, String lokiUrl, int seconds, java.io.PrintStream out) {
            boolean saidDown = false;
            try {
                while (true) {
                    if (stopping.await(seconds, TimeUnit.SECONDS)) {
                        return;
                    }
                    if (!sink.lokiUp() && !saidDown) {
                        out.println("logpipe local: Loki at " + lokiUrl + " does not answer; the lines wait in Kafka"
                                + " and are pushed when it does (set LOKI_URL or --loki-url to point elsewhere)");
                        saidDown = true;
                    } else if (sink.lokiUp() && saidDown) {
                        out.println("logpipe local: Loki answers again; pushing the backlog");
                        saidDown = false;
                    }
                    out.println("logpipe local: " + status.line(System.nanoTime()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitClosed() throws InterruptedException {
            closed.await();
        }

        /** Stops the pieces in reverse order: the collector first (saving its checkpoints), the broker last. */
        @Override
        public void close() {
            if (stopping.getCount() == 0) {
                awaitQuietly();
                return;
            }
            stopping.countDown();
            List<AutoCloseable> reverse = new ArrayList<>(started);
            Collections.reverse(reverse);
            for (AutoCloseable piece : reverse) {
                try {
                    piece.close();
                } catch (Exception e) {
                    System.err.println("logpipe local: error while stopping " + piece.getClass().getSimpleName() + ": " + e);
                }
            }
            closed.countDown();
        }

        private void awaitQuietly() {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

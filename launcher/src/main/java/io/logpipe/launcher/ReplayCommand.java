package io.logpipe.launcher;

import io.logpipe.config.ConfigLoader;
import io.logpipe.config.Durations;
import io.logpipe.selector.Selector;
import io.logpipe.sink.SinkConfig;
import io.logpipe.sink.admission.StreamCheck;
import io.logpipe.sink.push.LokiConfig;
import io.logpipe.sink.push.LokiPusher;
import io.logpipe.sink.push.PushMetrics;
import io.logpipe.sink.replay.JsonLinesDestination;
import io.logpipe.sink.replay.LokiDestination;
import io.logpipe.sink.replay.ReplayDestination;
import io.logpipe.sink.replay.TopicReplay;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code logpipe replay}: re-sends a time range of a topic to Loki, stdout or a file. It reads
 * by assignment and never commits, so the sink's consumer group is left alone.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-reads the records of a topic written between --from and --to, optionally filtered by a",
            "Loki-style selector, and sends them to Loki (with the sink's pusher), to stdout or to a file (JSON lines).",
            "Loki stores a line it already has once, so replaying into Loki is safe.",
            "Example: logpipe replay --from 2026-11-24T10:00:00Z --to 30m '{namespace=\"homelab\"}' --to-loki http://loki:3100"})
final class ReplayCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "SELECTOR", description = "Selector and line filters, e.g. {app=\"n8n\"} |= \"error\"")
    String selectorText;

    @Option(names = "--from", required = true, paramLabel = "TIME", description = "Start: 2026-11-24T10:00:00Z, 2026-11-24T10:00 (UTC) or 2h (ago).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End, exclusive (default: now); same forms as --from.")
    String to;

    @Option(names = "--late", paramLabel = "DURATION", defaultValue = TopicReplay.DEFAULT_LATE_TEXT,
            description = "Also read records written up to this long after --to (default: ${DEFAULT-VALUE}): a source that "
                    + "caught up after an outage wrote lines of the range after newer ones.")
    String late;

    @Option(names = {"-t", "--topic"}, defaultValue = "logs.enriched", description = "Topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = {"-b", "--bootstrap-server"}, description = "Kafka bootstrap servers (default: the --config file's, else $LOGPIPE_KAFKA or localhost:9092).")
    String bootstrap;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A sink config file: Kafka security, Loki auth/TLS/tenant and limits are taken from it.")
    Path config;

    @Option(names = "--tenant", paramLabel = "ID", description = "X-Scope-OrgID for --to-loki.")
    String tenant;

    @Option(names = "-X", paramLabel = "KEY=VALUE", description = "Any Kafka consumer property.")
    Map<String, String> kafkaProperties = new HashMap<>();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Destination destination;

    static final class Destination {
        @Option(names = "--to-loki", paramLabel = "URL", description = "Push to this Loki (http://loki:3100).")
        String lokiUrl;

        @Option(names = "--to-stdout", description = "Print the records as JSON lines.")
        boolean stdout;

        @Option(names = "--to-file", paramLabel = "FILE", description = "Write the records to FILE as JSON lines.")
        Path file;
    }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Instant now = Instant.now();
        Instant start = TimeArgument.parse(from, now);
        Instant end = to == null ? now : TimeArgument.parse(to, now);
        Selector selector = Selector.parse(selectorText);
        SinkConfig sinkConfig = new ConfigLoader().load(config, SinkConfig.class);
        Map<String, Object> props = new HashMap<>(sinkConfig.kafka().clientProperties());
        String servers = bootstrap != null ? bootstrap
                : config != null ? sinkConfig.kafka().bootstrapServers()
                : System.getenv().getOrDefault("LOGPIPE_KAFKA", "localhost:9092");
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        props.putAll(kafkaProperties);

        Predicate<ConsumerRecord<byte[], byte[]>> selected = record -> {
            RecordView view = RecordView.of(record.value(), record.partition(), record.offset());
            return view.malformed() ? selector.matchers().isEmpty() : selector.matches(view.labels(), view.line());
        };
        PrintWriter err = spec.commandLine().getErr();
        TopicReplay replay = new TopicReplay(props, topic, start, end, Durations.parse(late), selected);
        TopicReplay.Progress done = replay.run(open(sinkConfig, err), (progress, finished) -> {
            err.printf("replay: %d of %d records read%s, %d selected, %d sent%n", progress.read(), progress.total(),
                    progress.total() == 0 ? "" : " (" + (100 * progress.read() / progress.total()) + "%)",
                    progress.selected(), progress.sent());
            err.flush();
        });
        spec.commandLine().getOut().flush();
        return done.sent() == done.selected() ? 0 : Logpipe.EXIT_RUNTIME_FAILURE;
    }

    private ReplayDestination open(SinkConfig sinkConfig, PrintWriter err) throws java.io.IOException {
        if (destination.stdout) {
            return new JsonLinesDestination(System.out, false);
        }
        if (destination.file != null) {
            return new JsonLinesDestination(Files.newOutputStream(destination.file), true);
        }
        LokiConfig base = sinkConfig.loki();
        LokiConfig loki = new LokiConfig(destination.lokiUrl, tenant != null ? tenant : base.tenant(), base.auth(), base.tls(),
                base.timeout(), base.structuredMetadata());
        LokiPusher pusher = new LokiPusher(loki, sinkConfig.retry(), new PushMetrics(new SimpleMeterRegistry()));
        return new LokiDestination(pusher, new StreamCheck(sinkConfig.labelLimits()), sinkConfig.lineLimit(), sinkConfig.batch(),
                problem -> {
                    err.println("replay: " + problem);
                    err.flush();
                });
    }
}

package io.logpipe.launcher;

import io.logpipe.kafka.TopicNames;
import io.logpipe.kafka.TopicSpec;
import io.logpipe.kafka.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code logpipe kafka}: the embedded single-node broker in the foreground. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = {"Runs an embedded single-node Kafka broker (KRaft) in the foreground, with the logpipe topics.",
            "Its data persists in --data-dir across restarts. Ctrl-C or SIGTERM stops it cleanly."})
final class KafkaCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Kafka data directory (default: ${XDG_DATA_HOME:-~/.local/share}/logpipe/kafka).")
    Path dataDir;

    @Option(names = "--host", defaultValue = "localhost", description = "Host name advertised to clients (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "9092", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the pipeline topics when created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Override
    public Integer call() throws Exception {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, was " + partitions);
        }
        Path dir = dataDir != null ? dataDir : DataDirectory.defaultBase().resolve("kafka");
        long start = System.nanoTime();
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir, host, port, partitions);
        broker.start();
        broker.createTopics(TopicSpec.pipeline(TopicNames.DEFAULTS, partitions));
        System.out.printf("logpipe kafka: broker ready at %s in %.1f s (data in %s)%n",
                broker.bootstrapServers(), (System.nanoTime() - start) / 1e9, dir.toAbsolutePath());
        System.out.println("logpipe kafka: topics " + TopicNames.DEFAULTS.raw() + ", " + TopicNames.DEFAULTS.enriched() + ", "
                + TopicNames.DEFAULTS.dlq() + ", " + TopicNames.DEFAULTS.errorRates() + "; Ctrl-C to stop");
        System.out.flush();
        return Foreground.await("kafka", broker);
    }
}

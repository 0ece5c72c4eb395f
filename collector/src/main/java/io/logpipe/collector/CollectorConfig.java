package io.logpipe.collector;

import static io.logpipe.config.ConfigException.refuse;
import static io.logpipe.config.ConfigException.require;

import io.logpipe.collector.kubernetes.KubernetesConfig;
import io.logpipe.collector.publish.ProducerConfig;
import io.logpipe.collector.source.events.EventSourceConfig;
import io.logpipe.collector.source.file.FileSourceConfig;
import io.logpipe.collector.source.journald.JournaldSourceConfig;
import io.logpipe.collector.source.pod.PodSourceConfig;
import io.logpipe.kafka.KafkaClientConfig;
import io.logpipe.kafka.TopicNames;
import io.logpipe.observability.MetricsConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The collector's YAML file, parsed once at start-up by {@link io.logpipe.config.ConfigLoader}.
 * Every key has a default; see collector/README.md for the full list.
 *
 * @param host this machine's name, the {@code host} attribute and part of file source identities
 * @param kafka how to reach Kafka
 * @param topics topic names; the collector writes {@code topics.raw}
 * @param producer producer tuning: compression, in-flight memory bound, batching
 * @param metrics where /metrics is served (default port 9401)
 * @param checkpointDir where positions and cursors are saved
 * @param checkpointInterval how often acknowledged positions are written
 * @param kubernetes how to reach the Kubernetes API (pod metadata, events)
 * @param sources what to read
 */
public record CollectorConfig(
        String host,
        KafkaClientConfig kafka,
        TopicNames topics,
        ProducerConfig producer,
        MetricsConfig metrics,
        Path checkpointDir,
        Duration checkpointInterval,
        KubernetesConfig kubernetes,
        Sources sources) {

    public static final int DEFAULT_METRICS_PORT = 9401;

    public CollectorConfig {
        host = host == null || host.isBlank() ? localHostName() : host.trim();
        kafka = kafka == null ? KafkaClientConfig.local(null) : kafka;
        topics = topics == null ? TopicNames.DEFAULTS : topics;
        producer = producer == null ? ProducerConfig.DEFAULTS : producer;
        metrics = (metrics == null ? new MetricsConfig(null, null, null) : metrics).withDefaultPort(DEFAULT_METRICS_PORT);
        checkpointDir = checkpointDir == null ? Path.of("/var/lib/logpipe/collector") : checkpointDir;
        checkpointInterval = checkpointInterval == null ? Duration.ofSeconds(1) : checkpointInterval;
        kubernetes = kubernetes == null ? KubernetesConfig.DEFAULTS : kubernetes;
        sources = sources == null ? new Sources(null, null, null, null) : sources;
        require(!checkpointInterval.isZero() && !checkpointInterval.isNegative(), "checkpoint_interval", "must be positive");
        refuse(kafka.properties(), ProducerConfig.SET_BY_THE_COLLECTOR, "kafka.properties");
    }

    /**
     * The {@code sources:} block: any number of each kind. Names must be unique across all
     * kinds, because a source's checkpoints are filed under its name.
     */
    public record Sources(
            List<PodSourceConfig> pods,
            List<EventSourceConfig> events,
            List<JournaldSourceConfig> journald,
            List<FileSourceConfig> files) {

        public Sources {
            pods = pods == null ? List.of() : List.copyOf(pods);
            events = events == null ? List.of() : List.copyOf(events);
            journald = journald == null ? List.of() : List.copyOf(journald);
            files = files == null ? List.of() : List.copyOf(files);
            Set<String> names = new HashSet<>();
            List<String> all = java.util.stream.Stream.of(
                    pods.stream().map(PodSourceConfig::name),
                    events.stream().map(EventSourceConfig::name),
                    journald.stream().map(JournaldSourceConfig::name),
                    files.stream().map(FileSourceConfig::name))
                    .flatMap(s -> s).toList();
            for (String name : all) {
                require(names.add(name), "name", "source name '" + name + "' is used twice; names must be unique");
            }
        }

        public boolean isEmpty() {
            return pods.isEmpty() && events.isEmpty() && journald.isEmpty() && files.isEmpty();
        }
    }

    /** The {@code host} a collector reports when its config names none: $HOSTNAME, else the machine's name. */
    public static String localHostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}

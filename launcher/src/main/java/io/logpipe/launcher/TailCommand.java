package io.logpipe.launcher;

import io.logpipe.selector.Selector;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code logpipe tail}: follow a topic in the terminal, filtered like a LogQL query. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Follows a logpipe topic and prints its records, raw or enriched, one a line.",
            "Example: logpipe tail '{namespace=\"homelab\", level=~\"error|warn\"} |= \"timeout\"'"})
final class TailCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "SELECTOR",
            description = "Loki-style selector and line filters, e.g. {namespace=\"homelab\"} |= \"error\"")
    String selectorText;

    @Option(names = {"-b", "--bootstrap-server"}, defaultValue = "${env:LOGPIPE_KAFKA:-localhost:9092}",
            description = "Kafka bootstrap servers (default: $LOGPIPE_KAFKA or localhost:9092).")
    String bootstrap;

    @Option(names = {"-t", "--topic"}, defaultValue = "logs.enriched", description = "Topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--from", paramLabel = "TIME", description = "Start at this time: 2026-11-24T10:00:00Z or 15m (ago).")
    String from;

    @Option(names = "--from-beginning", description = "Start at the oldest record kept.")
    boolean fromBeginning;

    @Option(names = {"-n", "--max"}, paramLabel = "N", description = "Stop after printing N records.")
    Long max;

    @Option(names = {"-e", "--exit"}, description = "Stop at the end of the topic instead of following it.")
    boolean exitAtEnd;

    @Option(names = "-X", paramLabel = "KEY=VALUE", description = "Any Kafka consumer property (security settings, ...).")
    Map<String, String> kafkaProperties = new HashMap<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Selector selector = Selector.parse(selectorText);
        if (from != null && fromBeginning) {
            throw new IllegalArgumentException("--from and --from-beginning exclude each other");
        }
        Instant start = from == null ? null : TimeArgument.parse(from, Instant.now());
        PrintWriter out = spec.commandLine().getOut();
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putAll(kafkaProperties);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                running.set(false);
                consumer.wakeup();
                try {
                    main.join(5000);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "tail-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic '" + topic + "' does not exist on " + bootstrap);
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            seek(consumer, partitions, start);
            Map<TopicPartition, Long> end = exitAtEnd ? consumer.endOffsets(partitions) : Map.of();
            long printed = 0;
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    RecordView view = RecordView.of(record.value(), record.partition(), record.offset());
                    if (view.malformed() ? selector.matchers().isEmpty() : selector.matches(view.labels(), view.line())) {
                        out.println(view.display());
                        printed++;
                        if (max != null && printed >= max) {
                            out.flush();
                            return 0;
                        }
                    }
                }
                out.flush();
                if (exitAtEnd && reachedEnd(consumer, end)) {
                    return 0;
                }
            }
            return 0;
        } catch (org.apache.kafka.common.errors.WakeupException stopping) {
            return 0;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrap + " (" + e.getMessage() + ")", e);
        }
    }

    private void seek(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions, Instant start) {
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else if (start != null) {
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, start.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            for (TopicPartition p : partitions) {
                OffsetAndTimestamp at = found.get(p);
                consumer.seek(p, at == null ? ends.get(p) : at.offset());
            }
        } else {
            consumer.seekToEnd(partitions);
        }
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}

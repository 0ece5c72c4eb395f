package io.logpipe.collector;

import io.logpipe.config.ConfigLoader;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.testkit.KafkaBrokerExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A collector started in the test's JVM from YAML text, with a simple registry the test can read. */
public final class CollectorUnderTest implements AutoCloseable {
    public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    public final Collector collector;
    public final CollectorConfig config;

    public CollectorUnderTest(String yaml) {
        this(yaml, Map.of());
    }

    public CollectorUnderTest(String yaml, Map<String, String> env) {
        config = new ConfigLoader(env::get).parse(yaml, CollectorConfig.class, "test config");
        collector = new Collector(config, registry);
        collector.start();
    }

    /**
     * The start of the YAML every collector test writes: {@code host}, {@code kafka},
     * {@code topics}, {@code metrics} (off) and {@code checkpoint_dir}, one per line.
     */
    public static String configHeader(String host, String bootstrapServers, String rawTopic, Path checkpointDir) {
        return """
                host: %s
                kafka: {bootstrap_servers: %s}
                topics: {raw: %s}
                metrics: {enabled: false}
                checkpoint_dir: %s""".formatted(host, bootstrapServers, rawTopic, checkpointDir);
    }

    public double counter(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    public double badInput(String source, String reason) {
        return counter("logpipe.collector.bad.input", "source", source, "reason", reason);
    }

    public double linesRead(String source) {
        return counter("logpipe.collector.lines.read", "source", source);
    }

    @Override
    public void close() {
        collector.close();
        registry.close();
    }

    public static List<RawRecord> read(KafkaBrokerExtension kafka, String topic, int expected, Duration timeout) {
        return read(kafka.bootstrapServers(), topic, expected, timeout);
    }

    public static List<RawRecord> read(String bootstrapServers, String topic, int expected, Duration timeout) {
        return KafkaBrokerExtension.readAll(bootstrapServers, topic, expected, timeout).stream()
                .map(r -> RecordCodec.decodeRaw(r.value())).toList();
    }
}

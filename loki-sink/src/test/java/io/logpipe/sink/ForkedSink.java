package io.logpipe.sink;

import io.logpipe.config.ByteSize;
import io.logpipe.kafka.KafkaClientConfig;
import io.logpipe.kafka.TopicNames;
import io.logpipe.observability.MetricsConfig;
import io.logpipe.sink.batch.BatchLimits;
import io.logpipe.sink.push.Backoff;
import io.logpipe.sink.push.LokiConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;

/** A sink in a JVM of its own, for {@link SinkCrashTest} to kill: {@code bootstrap lokiUrl topic dlq group}. */
public final class ForkedSink {
    private ForkedSink() {
    }

    public static void main(String[] args) throws InterruptedException {
        LokiSink sink = new LokiSink(config(args[0], args[1], args[2], args[3], args[4]), new SimpleMeterRegistry());
        sink.start();
        System.out.println("sink started");
        Thread.currentThread().join();
    }

    static SinkConfig config(String bootstrap, String lokiUrl, String topic, String dlq, String group) {
        // the killed member must leave the group quickly for the restarted one to get its partitions
        KafkaClientConfig kafka = new KafkaClientConfig(bootstrap, null, null, null,
                Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1000"));
        return new SinkConfig(kafka, new TopicNames(null, topic, dlq, null),
                new MetricsConfig(null, 0, false), group, LokiConfig.at(lokiUrl),
                new BatchLimits(ByteSize.parse("16KiB"), Duration.ofMillis(200)),
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)), null, null, null);
    }
}

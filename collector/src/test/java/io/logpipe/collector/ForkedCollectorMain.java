package io.logpipe.collector;

import io.logpipe.config.ConfigLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;

/** A collector alone in a JVM, for the tests that kill it: {@code java -cp <test classpath> ForkedCollectorMain config.yaml}. */
public final class ForkedCollectorMain {
    private ForkedCollectorMain() {
    }

    public static void main(String[] args) throws Exception {
        CollectorConfig config = new ConfigLoader().load(Path.of(args[0]), CollectorConfig.class);
        Collector collector = new Collector(config, new SimpleMeterRegistry());
        Runtime.getRuntime().addShutdownHook(new Thread(collector::close));
        collector.start();
        System.out.println("collector started");
        Thread.currentThread().join();
    }
}

package io.logpipe.processor;

import io.logpipe.config.ConfigLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;

/**
 * The processor alone in a JVM, so that a test can kill it without warning (SIGKILL) in the
 * middle of a transaction: {@code java ProcessorProcess config.yaml}.
 */
public final class ProcessorProcess {
    private ProcessorProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        ProcessorConfig config = new ConfigLoader().load(Path.of(args[0]), ProcessorConfig.class);
        StreamProcessor processor = new StreamProcessor(config, new SimpleMeterRegistry());
        processor.start();
        System.out.println("processor started");
        Thread.currentThread().join();
    }
}

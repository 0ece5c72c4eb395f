package io.logpipe.launcher;

import io.logpipe.observability.MetricsConfig;
import io.logpipe.observability.MetricsEndpoint;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a started service until Ctrl-C or SIGTERM, then closes it (which saves its checkpoints)
 * before the JVM exits. Every long-running sub-command ends in {@link #await}.
 */
final class Foreground {
    private Foreground() {
    }

    /**
     * Serves {@code endpoint} for a started component, says so on stderr, and runs until the JVM
     * is asked to stop; then closes the component (saving its state) before the endpoint.
     */
    static int serve(String name, String description, AutoCloseable component, MetricsEndpoint endpoint, MetricsConfig metrics)
            throws InterruptedException {
        int port = endpoint.start(metrics);
        System.err.println("logpipe " + name + ": " + description + (port > 0 ? ", metrics on port " + port : "") + "; Ctrl-C to stop");
        return await(name, () -> {
            component.close();
            endpoint.close();
        });
    }

    /** Blocks until the JVM is asked to stop; {@code service} is closed by the shutdown hook. */
    static int await(String name, AutoCloseable service) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("logpipe " + name + ": stopping");
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("logpipe " + name + ": error while stopping: " + e);
            } finally {
                closed.countDown();
            }
        }, name + "-shutdown"));
        closed.await();
        return 0;
    }
}

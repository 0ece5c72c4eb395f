package io.logpipe.launcher;

import java.util.concurrent.CountDownLatch;

/**
 * Runs a started service until Ctrl-C or SIGTERM, then closes it (which saves its checkpoints)
 * before the JVM exits. Every long-running sub-command ends in {@link #await}.
 */
final class Foreground {
    private Foreground() {
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

package io.logpipe.launcher.e2e;

import io.logpipe.launcher.Logpipe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One component as production runs it: {@code logpipe <command> --config F} in its own JVM. */
final class ComponentProcess {
    private final String command;
    private final Path config;
    private final Path log;
    private Process process;

    ComponentProcess(String command, Path config, Path log) {
        this.command = command;
        this.config = config;
        this.log = log;
    }

    synchronized ComponentProcess start() throws IOException {
        process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                Logpipe.class.getName(), command, "--config", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return this;
    }

    /** kill -9: no shutdown hook runs, nothing is flushed or saved. */
    synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** SIGTERM, as systemd and Kubernetes stop it. */
    synchronized void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    String name() {
        return command;
    }

    Path log() {
        return log;
    }
}

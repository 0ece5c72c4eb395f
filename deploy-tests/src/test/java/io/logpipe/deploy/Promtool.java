package io.logpipe.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Prometheus' {@code promtool} (Debian package {@code prometheus}), run as a process. */
final class Promtool {
    private final Path executable;

    private Promtool(Path executable) {
        this.executable = executable;
    }

    /** The promtool on PATH; fails the test with what to install when there is none. */
    static Promtool onPath() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return new Promtool(candidate);
            }
        }
        throw new AssertionError("promtool is not installed (not on PATH). Install it with "
                + "`apt-get install --no-install-recommends prometheus` (Debian/Ubuntu) or put Prometheus' promtool on PATH.");
    }

    record Result(int exitCode, String output) {
    }

    Result run(Path workingDir, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", arguments) + " did not finish in 60 s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}

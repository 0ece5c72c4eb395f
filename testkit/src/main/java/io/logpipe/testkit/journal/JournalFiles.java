package io.logpipe.testkit.journal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes real journal files, the binary format journalctl reads, with Debian's
 * {@code systemd-journal-remote} (package systemd-journal-remote) from the export format.
 * No systemd needs to run.
 */
public final class JournalFiles {
    public static final Path JOURNAL_REMOTE = Path.of("/lib/systemd/systemd-journal-remote");
    /** The pretend boot of every test entry (they all carry one boot id): 2020-01-01. */
    private static final long BOOT_TIME_MICROS = 1_577_836_800_000_000L;

    private JournalFiles() {
    }

    /** Writes (or appends to) {@code file}, whose name must end in {@code .journal}. */
    public static void write(Path file, List<JournalEntry> entries) throws IOException, InterruptedException {
        if (!file.getFileName().toString().endsWith(".journal")) {
            throw new IllegalArgumentException("systemd-journal-remote needs a file name ending in .journal: " + file);
        }
        Process remote = new ProcessBuilder(JOURNAL_REMOTE.toString(), "--output=" + file, "-")
                .redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(remote.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        try (OutputStream in = remote.getOutputStream()) {
            for (JournalEntry entry : entries) {
                // Entries of one boot are ordered by monotonic time: derive it from the wall clock so
                // that files written one after another interleave the way real journal files do.
                in.write(entry.exportFormat(entry.realtimeMicros() - BOOT_TIME_MICROS));
            }
        }
        int rc = remote.waitFor();
        if (rc != 0) {
            throw new IOException("systemd-journal-remote exited " + rc + ": " + output.join());
        }
    }
}

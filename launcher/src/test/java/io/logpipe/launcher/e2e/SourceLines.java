package io.logpipe.launcher.e2e;

import io.logpipe.testkit.journal.JournalEntry;
import io.logpipe.testkit.journal.JournalFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes numbered lines into the harness's three kinds of source and remembers each line as
 * Loki must end up storing it. Every line carries its own timestamp, so a line read twice
 * after a crash is the same Loki entry.
 */
final class SourceLines {
    private final PipelineHarness pipeline;
    private final String tag;
    private final List<String> expected = new ArrayList<>();
    private long clockNanos;

    SourceLines(PipelineHarness pipeline, String tag) {
        this.pipeline = pipeline;
        this.tag = tag;
        this.clockNanos = Instant.now().minusSeconds(120).toEpochMilli() * 1_000_000L;
    }

    List<String> expected() {
        return expected;
    }

    String tag() {
        return tag;
    }

    private Instant tick() {
        clockNanos += 1_000;
        return Instant.ofEpochSecond(0, clockNanos);
    }

    /** CRI lines of a pod; every tenth is written as two partial lines that the collector joins. */
    void pod(String pod, int from, int count) throws IOException {
        Path log = pipeline.podLog("homelab", pod, "uid-" + pod, pod.replaceAll("-.*", ""));
        try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            StringBuilder chunk = new StringBuilder();
            for (int i = from; i < from + count; i++) {
                String line = "{\"level\":\"" + (i % 50 == 0 ? "error" : "info") + "\",\"msg\":\"" + tag + " " + pod + " seq=" + i + "\"}";
                Instant at = tick();
                if (i % 10 == 0) {
                    int cut = line.length() / 2;
                    chunk.append(at).append(" stdout P ").append(line, 0, cut).append('\n');
                    chunk.append(at).append(" stdout F ").append(line.substring(cut)).append('\n');
                } else {
                    chunk.append(at).append(" stdout F ").append(line).append('\n');
                }
                expected.add(line);
                if (chunk.length() > 64 * 1024) {
                    out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
                    chunk.setLength(0);
                }
            }
            out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Syslog-style lines starting with their RFC 3339 timestamp. */
    void file(String name, int from, int count) throws IOException {
        StringBuilder chunk = new StringBuilder();
        try (OutputStream out = Files.newOutputStream(pipeline.fileLog(name), StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (int i = from; i < from + count; i++) {
                String line = tick() + " pesubuntu kernel: " + tag + " " + name + " seq=" + i + (i % 97 == 0 ? " ERROR disk space low" : "");
                chunk.append(line).append('\n');
                expected.add(line);
                if (chunk.length() > 64 * 1024) {
                    out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
                    chunk.setLength(0);
                }
            }
            out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** journald entries of ollama.service, written as a real journal file. */
    void journal(int from, int count) throws IOException, InterruptedException {
        List<JournalEntry> entries = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String message = "time=" + Instant.now() + " level=" + (i % 40 == 0 ? "ERROR" : "INFO") + " msg=\"" + tag + " journal seq=" + i + "\"";
            entries.add(JournalEntry.ofUnit(tick().toEpochMilli() * 1000 + (i % 1000), "ollama.service", i % 40 == 0 ? 3 : 6, message));
            expected.add(message);
        }
        JournalFiles.write(pipeline.journalDir().resolve(tag + "-" + from + ".journal"), entries);
    }
}

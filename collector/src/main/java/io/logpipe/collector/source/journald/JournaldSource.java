package io.logpipe.collector.source.journald;

import io.logpipe.collector.Source;
import io.logpipe.collector.SourceContext;
import io.logpipe.collector.checkpoint.AckedProgress;
import io.logpipe.collector.metrics.RateLimitedLog;
import io.logpipe.collector.publish.SourceOutput;
import io.logpipe.record.RawRecord;
import io.logpipe.record.SourceKind;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * journald through {@code journalctl -o json --follow} (as Vector does): no native library,
 * and {@code --directory}/{@code --file} make it read real journal files in tests. The cursor
 * of the last acknowledged entry is the checkpoint; journalctl is started with
 * {@code --after-cursor} from it, or, at the very first start, with {@code --since} {@code max_age} ago.
 * When journalctl ends (journal rotated away, crash), it is started again after the last
 * entry read, and the restart is counted.
 *
 * <p>journalctl's output is read with memory bounded by {@code max_line_size}, not by an entry
 * ({@link JournalReader}): with {@code --all} it prints a MESSAGE of any size whole, and a
 * binary one as an array of numbers, about 3.5 characters a byte. A MESSAGE longer than
 * {@code max_line_size} goes out as several records flagged {@code split} (or its first piece
 * flagged {@code truncated}), as a long file line does. Only the last piece carries the entry's
 * cursor; the others carry the cursor before it, so a crash before every piece is acknowledged
 * sends the whole entry again instead of losing its tail.
 */
public final class JournaldSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(JournaldSource.class);
    /** The least pause after a failure that may come again at once (journalctl missing, a bug, the heap). */
    private static final long FAILURE_PAUSE_MILLIS = 5_000;

    private final JournaldSourceConfig config;
    private final SourceContext context;
    private final SourceOutput output;
    private final Counter restarts;
    private final RateLimitedLog restartLog = new RateLimitedLog(LOG, Duration.ofSeconds(30));
    private final Path spillFile;
    private final AckedProgress<JournalCursor> progress;
    /** the cursor of the last entry shipped (or the checkpoint): journalctl starts after it; only the reading thread uses it */
    private String lastRead;
    private volatile boolean closed;
    private volatile Process process;
    private Thread thread;

    public JournaldSource(JournaldSourceConfig config, SourceContext context) {
        this.config = config;
        this.context = context;
        this.output = context.output(config.name(), SourceKind.JOURNALD.label());
        this.restarts = context.metrics().journaldRestarts(config.name());
        String checkpointKey = config.name() + "|journal";
        this.spillFile = context.checkpoints().file().resolveSibling("journald-" + config.name().replaceAll("[^A-Za-z0-9._-]", "_")
                + ".spill");
        JournalCursor saved = context.checkpoints().saved(checkpointKey, JournalCursor.class).orElse(null);
        this.progress = context.checkpoints().progress(checkpointKey, saved);
        this.lastRead = saved == null ? null : saved.cursor();
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public void start() {
        thread = new Thread(this::run, "journald-" + config.name());
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        Instant since = config.maxAge().isZero() ? null : Instant.now().minus(config.maxAge());
        try {
            Files.deleteIfExists(spillFile); // left by a crash
        } catch (IOException e) {
            LOG.warn("source {}: cannot remove {}: {}", config.name(), spillFile, e.toString());
        }
        try {
            while (!closed) {
                try {
                    follow(since);
                } catch (InterruptedException e) {
                    throw e;
                } catch (Throwable e) {
                    // whatever it is (a bug, the heap), the journal must not stop being read until the
                    // collector restarts: say so, and start journalctl again after the last entry read
                    if (closed) {
                        break;
                    }
                    restarts.increment();
                    LOG.error("source {}: reading journalctl failed unexpectedly; starting it again after {}", config.name(),
                            lastRead == null ? "the start" : "the last entry read", e);
                    stopJournalctl();
                    TimeUnit.MILLISECONDS.sleep(Math.max(config.restartDelay().toMillis(), FAILURE_PAUSE_MILLIS));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopJournalctl();
        }
    }

    /** Runs journalctl once, from after the last entry read, shipping its entries until it ends. */
    private void follow(Instant since) throws InterruptedException {
        List<String> command = command(lastRead, since);
        LOG.info("source {}: {}", config.name(), String.join(" ", command));
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            restarts.increment();
            restartLog.warn("start", "source {}: cannot run {}: {}; trying again", config.name(), config.journalctl(), e.getMessage());
            TimeUnit.MILLISECONDS.sleep(Math.max(config.restartDelay().toMillis(), FAILURE_PAUSE_MILLIS));
            return;
        }
        try (InputStream out = process.getInputStream()) {
            JournalReader reader = new JournalReader(out, config.maxLineSize().asInt(), config.longLines(), spillFile);
            while (true) {
                JournalEntry entry;
                try {
                    entry = reader.next();
                } catch (MalformedEntryException e) {
                    context.metrics().badInput(config.name(), "malformed_journal_entry", e.getMessage());
                    continue;
                }
                if (entry == null) {
                    break;
                }
                try (entry) {
                    ship(entry);
                }
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.warn("source {}: reading journalctl failed: {}", config.name(), e.toString());
            }
        }
        if (closed) {
            return;
        }
        int exit = process.waitFor();
        // stopping the whole service (Ctrl-C in a terminal, systemctl stop) signals journalctl too,
        // often before this source is closed: wait first, so that a stop does not read as a crash
        TimeUnit.MILLISECONDS.sleep(config.restartDelay().toMillis());
        if (closed) {
            return;
        }
        restarts.increment();
        restartLog.warn("restart", "source {}: journalctl ended (exit code {}); starting it again after {}", config.name(), exit,
                lastRead == null ? "the start" : "the last entry read");
    }

    private void stopJournalctl() {
        Process p = process;
        if (p != null) {
            p.destroy();
        }
    }

    List<String> command(String cursor, Instant since) {
        List<String> command = new ArrayList<>(List.of(config.journalctl(), "--output=json", "--follow", "--no-tail", "--all",
                "--no-pager", "--quiet"));
        if (cursor != null) {
            command.add("--after-cursor=" + cursor);
        } else if (since != null) {
            command.add("--since=@" + since.getEpochSecond());
        }
        if (config.directory() != null) {
            command.add("--directory=" + config.directory());
        }
        config.files().forEach(file -> command.add("--file=" + file));
        config.units().forEach(unit -> command.add("--unit=" + unit));
        return command;
    }

    /**
     * Ships one entry, its MESSAGE in one record or in pieces. Every piece but the last carries
     * the position before the entry, so the checkpoint reaches this entry's cursor only once all
     * its pieces are acknowledged ({@link AckedProgress} moves over an unbroken run).
     */
    void ship(JournalEntry entry) throws IOException, InterruptedException {
        if (entry.hadBinary()) {
            context.metrics().badInput(config.name(), "binary_field", "a field was binary; kept as UTF-8 with the bytes in raw_bytes");
        }
        MessagePieces message = entry.message();
        if (message.pieceCount() > 1 || message.truncated()) {
            context.metrics().badInput(config.name(), "line_too_long", (message.truncated() ? "truncated" : "split")
                    + " at " + config.maxLineSize().bytes() + " bytes"
                    + (message.spillFailure() == null ? "" : " (cannot keep the other pieces: " + message.spillFailure() + ")"));
        }
        Map<String, String> attributes = new HashMap<>(entry.attributes());
        attributes.put("host", context.host());
        Map<String, String> sortedAttributes = RawRecord.sorted(attributes);
        String source = context.host() + "/journald/" + entry.unitOrIdentifier();
        JournalCursor before = lastRead == null ? null : new JournalCursor(lastRead);
        message.forEach((text, cut, last) -> {
            RawRecord record = RawRecord.of(entry.timestampNanos(), SourceKind.JOURNALD, source, text, sortedAttributes,
                    config.labels(), cut.flags());
            output.ship(record, progress, last ? new JournalCursor(entry.cursor()) : before, last ? entry.bytes() : 0);
        });
        lastRead = entry.cursor();
    }

    @Override
    public void close() {
        closed = true;
        stopJournalctl();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package io.logpipe.collector.source.journald;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.logpipe.collector.Source;
import io.logpipe.collector.SourceContext;
import io.logpipe.collector.checkpoint.AckedProgress;
import io.logpipe.collector.metrics.RateLimitedLog;
import io.logpipe.collector.publish.SourceOutput;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordFlag;
import io.logpipe.record.SourceKind;
import io.micrometer.core.instrument.Counter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
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
 */
public final class JournaldSource implements Source {
    private static final Logger LOG = LoggerFactory.getLogger(JournaldSource.class);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final JournaldSourceConfig config;
    private final SourceContext context;
    private final SourceOutput output;
    private final Counter restarts;
    private final RateLimitedLog restartLog = new RateLimitedLog(LOG, Duration.ofSeconds(30));
    private final String checkpointKey;
    private AckedProgress<JournalCursor> progress;
    private volatile boolean closed;
    private volatile Process process;
    private Thread thread;

    public JournaldSource(JournaldSourceConfig config, SourceContext context) {
        this.config = config;
        this.context = context;
        this.output = context.output(config.name(), SourceKind.JOURNALD.label());
        this.restarts = context.metrics().journaldRestarts(config.name());
        this.checkpointKey = config.name() + "|journal";
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public void start() {
        JournalCursor saved = context.checkpoints().saved(checkpointKey, JournalCursor.class).orElse(null);
        progress = context.checkpoints().progress(checkpointKey, saved);
        thread = new Thread(() -> run(saved == null ? null : saved.cursor()), "journald-" + config.name());
        thread.setDaemon(true);
        thread.start();
    }

    private void run(String savedCursor) {
        String cursor = savedCursor;
        Instant since = config.maxAge().isZero() ? null : Instant.now().minus(config.maxAge());
        try {
            while (!closed) {
                List<String> command = command(cursor, since);
                LOG.info("source {}: {}", config.name(), String.join(" ", command));
                try {
                    process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                    process.getOutputStream().close();
                } catch (IOException e) {
                    restarts.increment();
                    restartLog.warn("start", "source {}: cannot run {}: {}; trying again", config.name(), config.journalctl(), e.getMessage());
                    TimeUnit.MILLISECONDS.sleep(Math.max(config.restartDelay().toMillis(), 5_000));
                    continue;
                }
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8),
                        64 * 1024)) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        String read = ship(line);
                        if (read != null) {
                            cursor = read;
                        }
                    }
                } catch (IOException e) {
                    if (!closed) {
                        LOG.warn("source {}: reading journalctl failed: {}", config.name(), e.toString());
                    }
                }
                if (closed) {
                    break;
                }
                int exit = process.waitFor();
                restarts.increment();
                restartLog.warn("restart", "source {}: journalctl ended (exit code {}); starting it again after {}", config.name(), exit,
                        cursor == null ? "the start" : "the last entry read");
                TimeUnit.MILLISECONDS.sleep(config.restartDelay().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Process p = process;
            if (p != null) {
                p.destroy();
            }
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

    /** Ships one JSON line; returns its cursor, or null when the line was not an entry. */
    private String ship(String line) throws InterruptedException {
        JournalEntry entry;
        try {
            JsonNode json = JSON.readTree(line);
            if (json == null || !json.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            entry = JournalEntry.of(json);
        } catch (IOException | IllegalArgumentException e) {
            context.metrics().badInput(config.name(), "malformed_journal_entry", e.getMessage());
            return null;
        }
        if (entry.hadBinary()) {
            context.metrics().badInput(config.name(), "binary_field", "a field was binary; kept as UTF-8 with the bytes in raw_bytes");
        }
        Map<String, String> attributes = new HashMap<>(entry.attributes());
        attributes.put("host", context.host());
        RawRecord record = RawRecord.of(entry.timestampNanos(), SourceKind.JOURNALD,
                context.host() + "/journald/" + entry.unitOrIdentifier(), entry.message(), attributes, config.labels(),
                EnumSet.noneOf(RecordFlag.class));
        output.ship(record, progress, new JournalCursor(entry.cursor()), line.length());
        return entry.cursor();
    }

    @Override
    public void close() {
        closed = true;
        Process p = process;
        if (p != null) {
            p.destroy();
        }
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

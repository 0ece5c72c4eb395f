package io.logpipe.collector.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The acknowledged positions of every source, kept in memory and written to
 * {@code <checkpoint_dir>/checkpoints.json} by {@link #save()}: write a temporary file, fsync it,
 * rename it over the old one, fsync the directory. A crash leaves either the old or the new
 * file, never a torn one.
 */
public final class CheckpointStore {
    static final String FILE_NAME = "checkpoints.json";
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private final Path dir;
    private final Path file;
    private final Clock clock;
    private final Map<String, Object> current = new ConcurrentHashMap<>();
    private volatile boolean dirty;
    private volatile Instant lastSaved;

    /** Opens the store in {@code dir}, creating the directory, reading the file when it exists. */
    public CheckpointStore(Path dir, Clock clock) {
        this.dir = dir;
        this.file = dir.resolve(FILE_NAME);
        this.clock = clock;
        Map<String, JsonNode> loaded;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(FILE_NAME + ".tmp"));
            loaded = Files.exists(file) ? read(file) : new TreeMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open checkpoint directory " + dir + ": " + e.getMessage(), e);
        }
        // saved entries stay until their source replaces or removes them, so a save that runs
        // before every source has opened its files cannot drop their positions
        this.current.putAll(loaded);
        this.lastSaved = clock.instant();
    }

    private static Map<String, JsonNode> read(Path file) throws IOException {
        JsonNode root = MAPPER.readTree(file.toFile());
        Map<String, JsonNode> entries = new TreeMap<>();
        if (root != null && root.has("positions")) {
            root.get("positions").fields().forEachRemaining(e -> entries.put(e.getKey(), e.getValue()));
        }
        return entries;
    }

    /**
     * The checkpoint of {@code key}: the acknowledged position of this run when the key was
     * opened before, else the one saved by an earlier run, if any.
     */
    public <P> Optional<P> saved(String key, Class<P> type) {
        Object value = current.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (type.isInstance(value)) {
            return Optional.of(type.cast(value));
        }
        try {
            return Optional.of(MAPPER.treeToValue(value instanceof JsonNode node ? node : MAPPER.valueToTree(value), type));
        } catch (IOException | IllegalArgumentException e) {
            // an entry from an incompatible build: start that source afresh rather than not at all
            return Optional.empty();
        }
    }

    /**
     * The progress of {@code key}, starting from {@code start} (normally the saved position);
     * every advance of its acknowledged watermark becomes the key's checkpoint.
     */
    public <P> AckedProgress<P> progress(String key, P start) {
        if (start != null && !start.equals(current.put(key, start))) {
            dirty = true; // a new key's first position is saved too
        }
        return new AckedProgress<>(start, position -> {
            current.put(key, position);
            dirty = true;
        });
    }

    /** Forgets {@code key} (a file that is gone and fully acknowledged). */
    public void remove(String key) {
        if (current.remove(key) != null) {
            dirty = true;
        }
    }

    /** Writes the file when anything changed since the last write. Safe to call from any thread. */
    public synchronized void save() {
        if (!dirty) {
            lastSaved = clock.instant();
            return;
        }
        dirty = false;
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", 1);
        root.put("saved_at", clock.instant().toString());
        ObjectNode positions = root.putObject("positions");
        new TreeMap<>(current).forEach((key, position) -> positions.set(key, MAPPER.valueToTree(position)));
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        try {
            byte[] bytes = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the checkpoint directory does not support atomic rename", e);
            }
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
            lastSaved = clock.instant();
        } catch (IOException e) {
            dirty = true;
            throw new UncheckedIOException("cannot save checkpoints to " + file + ": " + e.getMessage(), e);
        }
    }

    /** When the file last held every acknowledged position (the checkpoint age metric). */
    public Instant lastSaved() {
        return lastSaved;
    }

    public Path file() {
        return file;
    }
}

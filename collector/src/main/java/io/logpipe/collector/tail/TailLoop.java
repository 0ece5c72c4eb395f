package io.logpipe.collector.tail;

import io.logpipe.collector.checkpoint.AckedProgress;
import io.logpipe.collector.checkpoint.CheckpointStore;
import io.logpipe.collector.metrics.CollectorMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file tailing shared by the pod and file sources: one thread that finds the files its
 * globs match, reads each from its checkpoint, and follows it through rotation.
 *
 * <ul>
 *   <li><b>Rename rotation</b> (kubelet, logrotate without copytruncate): the path names a new
 *       file. The old one, still open, is read to its end first, then the new one from 0.</li>
 *   <li><b>copytruncate</b>: the same file got shorter than what was read, or no longer starts
 *       with the bytes first read from it (truncated and written past the read offset again while
 *       reading was stopped, or between two polls): the rest of the old content is read from the
 *       copy when one sibling starts with those bytes, then the file again from 0.</li>
 *   <li><b>Restart after a rotation</b>: the checkpoint names the file by device and inode; when
 *       the path now names another file, the old one is looked for under a new name in the same
 *       directory ({@code 0.log.20251125-101010}) and finished from the checkpoint first.</li>
 *   <li><b>Restart after copytruncate, or with the inode of a deleted file reused</b>: device and
 *       inode are the same but the content is not, and the file may well be longer than the saved
 *       offset. A checkpoint is taken up only when the file still starts with the bytes it was
 *       fingerprinted with ({@link FileHead}); otherwise the file is read from its start, after
 *       the rest of its copy when a sibling starts with those bytes (copytruncate).</li>
 *   <li>A path that vanished is finished and forgotten; a path that cannot be opened is counted
 *       as bad input and tried again at the next scan.</li>
 * </ul>
 * Reading happens only inside {@link TailHandler#line}, which blocks while Kafka is down, so a
 * Kafka outage stops the reading here.
 */
public final class TailLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TailLoop.class);
    private static final int CHUNK = 256 * 1024;
    private static final int CHUNKS_PER_TURN = 16;
    /**
     * How long a file renamed away is still read after it last grew: a writer may go on writing
     * to it until it reopens its log (rsyslog after logrotate's postrotate HUP, a container
     * runtime after the kubelet's rotation), and those lines belong to the source too.
     */
    static final Duration ROTATE_WAIT = Duration.ofSeconds(5);
    private static final Pattern COMPRESSED = Pattern.compile("\\.(gz|bz2|xz|zst|lz4|z|zip)$", Pattern.CASE_INSENSITIVE);

    /** Creates the handler of one opened file. */
    @FunctionalInterface
    public interface HandlerFactory {
        TailHandler open(Path path, FileHead file, AckedProgress<FilePosition> progress);
    }

    private final String source;
    private final GlobScanner scanner;
    private final TailSettings settings;
    private final CheckpointStore checkpoints;
    private final HandlerFactory handlers;
    private final CollectorMetrics metrics;
    private final Counter bytesRead;
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    private final ByteBuffer headCheck = ByteBuffer.allocate(FileHead.SIZE);
    private final Map<Path, FollowedPath> followed = new LinkedHashMap<>();
    private final Set<Path> unreadable = new HashSet<>();
    private final List<FollowedPath> retired = new ArrayList<>();
    private final OpenFile.ReadStats stats = new OpenFile.ReadStats();
    private boolean firstScan = true;
    private long nextScan;
    private Thread thread;

    public TailLoop(String source, GlobScanner scanner, TailSettings settings, CheckpointStore checkpoints,
                    HandlerFactory handlers, CollectorMetrics metrics, Counter bytesRead) {
        this.source = source;
        this.scanner = scanner;
        this.settings = settings;
        this.checkpoints = checkpoints;
        this.handlers = handlers;
        this.metrics = metrics;
        this.bytesRead = bytesRead;
    }

    public synchronized void start() {
        thread = new Thread(this::run, "tail-" + source);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (turn() == 0) {
                    TimeUnit.MILLISECONDS.sleep(settings.pollInterval().toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("source {}: tailing stopped by an unexpected error", source, e);
        } finally {
            followed.values().forEach(FollowedPath::close);
        }
    }

    /** One pass over every file (after a scan when due); returns the bytes read. Used by the thread and by tests. */
    long turn() throws InterruptedException {
        long now = System.nanoTime();
        if (firstScan || now - nextScan >= 0) {
            scan();
            nextScan = now + settings.scanInterval().toNanos();
        }
        long total = 0;
        for (Iterator<FollowedPath> it = followed.values().iterator(); it.hasNext(); ) {
            FollowedPath path = it.next();
            try {
                total += path.poll();
                if (path.gone) {
                    path.close();
                    retired.add(path);
                    it.remove();
                }
            } catch (IOException e) {
                metrics.badInput(source, "read_error", path.path + ": " + e.getMessage());
            }
        }
        bytesRead.increment(total);
        return total;
    }

    private void scan() throws InterruptedException {
        Set<Path> now = scanner.scan();
        for (Path path : now) {
            if (!followed.containsKey(path)) {
                follow(path);
            }
        }
        retired.removeIf(path -> {
            if (path.progress.pendingCount() == 0 && !followed.containsKey(path.path)) {
                checkpoints.remove(path.key);
                return true;
            }
            return false;
        });
        firstScan = false;
    }

    private void follow(Path path) {
        String key = source + "|" + path;
        Optional<FilePosition> saved = checkpoints.saved(key, FilePosition.class);
        try {
            FileIdentity identity = FileIdentity.of(path);
            FileHead head = null;
            long offset = 0;
            // the file the checkpoint was saved in, when the path no longer names it: finished from there first
            Optional<Saved> unfinished = Optional.empty();
            if (saved.isPresent() && saved.get().file().equals(identity)) {
                head = takeUp(path, identity, saved.get()).orElse(null);
                offset = head == null ? 0 : saved.get().offset();
                if (head != null && Files.size(path) < offset) {
                    LOG.info("source {}: {} is shorter than its checkpoint's offset {}: truncated since the last run; reading it "
                            + "from its start", source, path, offset);
                    head = null;
                }
                if (head == null) {
                    unfinished = findCopy(path, saved.get());
                }
            } else if (saved.isPresent()) {
                Optional<Path> renamed = findRenamed(path, saved.get().file());
                if (renamed.isPresent()) {
                    unfinished = takeUp(renamed.get(), saved.get().file(), saved.get()).map(h -> new Saved(renamed.get(), h));
                }
            }
            if (head == null) {
                // a file without a checkpoint gets one at once, where reading starts: with start_at: end,
                // lines written to a quiet file while the collector is down are then read after the
                // restart instead of being skipped by a second start at the end
                offset = saved.isEmpty() && firstScan && settings.startAtEnd() ? Files.size(path) : 0;
                head = FileHead.read(path, identity, offset);
            }
            AckedProgress<FilePosition> progress = checkpoints.progress(key,
                    unfinished.isPresent() ? unfinished.get().head().position(saved.get().offset()) : head.position(offset));
            FollowedPath entry = new FollowedPath(path, key, progress);
            if (unfinished.isPresent()) {
                LOG.info("source {}: {} was rotated to {} since the last run (renamed, or copied and truncated); finishing that first",
                        source, path, unfinished.get().file());
                entry.finishFirst(unfinished.get(), saved.get().offset(), identity);
            }
            try {
                entry.current = entry.open(path, head, offset);
            } catch (IOException e) {
                if (entry.rotatedAway != null) {
                    entry.rotatedAway.close(); // opened above: not left behind when the path is tried again
                }
                throw e;
            }
            entry.lag = metrics.fileLag(source, path.toString(), entry::lag);
            followed.put(path, entry);
            unreadable.remove(path);
        } catch (IOException e) {
            if (unreadable.add(path)) {
                metrics.badInput(source, "unreadable_file", path + ": " + describe(e));
            }
        }
    }

    /**
     * The head of {@code file} when it still starts with the bytes the saved position was counted
     * in; empty when they differ although device and inode are the same (truncated in place and
     * written again, or a new file given a deleted file's inode): the saved offset means nothing in it.
     */
    private Optional<FileHead> takeUp(Path file, FileIdentity identity, FilePosition saved) throws IOException {
        FileHead head = FileHead.read(file, identity, saved.offset());
        Optional<String> mismatch = head.mismatch(saved);
        if (mismatch.isPresent()) {
            LOG.warn("source {}: {} ({}) does not hold what its checkpoint was saved for: {}; not resuming it at offset {}",
                    source, file, identity, mismatch.get(), saved.offset());
            return Optional.empty();
        }
        return Optional.of(head);
    }

    /**
     * The copy logrotate's copytruncate made of {@code path} after {@code saved} (a checkpoint, or
     * where reading got to in the running collector): a sibling named after it ({@code app.log.1}),
     * not compressed, at least as long as the saved offset, that starts with the saved
     * fingerprint's bytes. It holds what was written after that position and before the
     * truncation. None when the position has no fingerprint (or an empty one: nothing to
     * recognise the copy by), or more than one file would fit (which one was copied last cannot
     * be told).
     */
    private Optional<Saved> findCopy(Path path, FilePosition saved) {
        if (saved.fingerprint() == null || saved.fingerprint().length() == 0) {
            return Optional.empty();
        }
        Path dir = path.toAbsolutePath().getParent();
        String prefix = path.getFileName() + ".";
        List<Saved> copies = new ArrayList<>();
        try (Stream<Path> siblings = Files.list(dir)) {
            for (Path sibling : (Iterable<Path>) siblings::iterator) {
                String name = sibling.getFileName().toString();
                if (!name.startsWith(prefix) || COMPRESSED.matcher(name).find() || !Files.isRegularFile(sibling)
                        || Files.size(sibling) < saved.offset()) {
                    continue;
                }
                FileHead head = FileHead.read(sibling, FileIdentity.of(sibling), saved.offset());
                if (head.mismatch(saved).isEmpty()) {
                    copies.add(new Saved(sibling, head));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        if (copies.size() > 1) {
            LOG.warn("source {}: {} was truncated and {} files start like it did; reading none of them on from offset {}",
                    source, path, copies.size(), saved.offset());
        }
        return copies.size() == 1 ? Optional.of(copies.get(0)) : Optional.empty();
    }

    /** A file holding a saved position, and its head up to there. */
    private record Saved(Path file, FileHead head) {
    }

    private static String describe(IOException e) {
        return e instanceof NoSuchFileException ? "no such file (dangling link?)" : e.toString();
    }

    private static Optional<Path> findRenamed(Path path, FileIdentity identity) {
        Path dir = path.toAbsolutePath().getParent();
        if (dir == null) {
            return Optional.empty();
        }
        try (Stream<Path> siblings = Files.list(dir)) {
            return siblings.filter(p -> !p.equals(path) && Files.isRegularFile(p))
                    .filter(p -> {
                        try {
                            return FileIdentity.of(p).equals(identity);
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The files rotated from {@code path} after {@code older} (the rotated file being finished) and
     * before {@code newer} (the file now at {@code path}), oldest first: more than one rotation while
     * reading was stopped. They are the path's siblings named after it ({@code 0.log.<time>},
     * {@code syslog.1}), not compressed, last written after {@code older}: older rotations were read before.
     */
    private List<Path> rotatedBetween(Path path, Path older, FileIdentity olderIdentity, FileIdentity newer) {
        Path dir = path.toAbsolutePath().getParent();
        String prefix = path.getFileName() + ".";
        try (Stream<Path> siblings = Files.list(dir)) {
            FileTime olderWritten = Files.getLastModifiedTime(older);
            List<Written> between = new ArrayList<>();
            for (Path sibling : (Iterable<Path>) siblings::iterator) {
                String name = sibling.getFileName().toString();
                if (!name.startsWith(prefix) || COMPRESSED.matcher(name).find() || followed.containsKey(sibling)
                        || !Files.isRegularFile(sibling)) {
                    continue;
                }
                FileTime written = Files.getLastModifiedTime(sibling);
                FileIdentity identity = FileIdentity.of(sibling);
                if (written.compareTo(olderWritten) > 0 && !identity.equals(olderIdentity) && !identity.equals(newer)) {
                    between.add(new Written(sibling, written));
                }
            }
            between.sort(Comparator.comparing(Written::time));
            return between.stream().map(Written::file).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A file and when it was last written. */
    private record Written(Path file, FileTime time) {
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One followed path: the file it names now, and the rotated-away file still being finished. */
    private final class FollowedPath {
        final Path path;
        final String key;
        final AckedProgress<FilePosition> progress;
        OpenFile current;
        OpenFile rotatedAway;
        long rotatedAwayQuietSince;
        /**
         * Files rotated away after {@link #rotatedAway} and before {@link #current}, oldest first:
         * queued only with {@code rotatedAway}, read right after what it holds so far.
         */
        final ArrayDeque<Path> rotatedBetween = new ArrayDeque<>();
        Gauge lag;
        volatile long lagBytes;
        boolean gone;

        FollowedPath(Path path, String key, AckedProgress<FilePosition> progress) {
            this.path = path;
            this.key = key;
            this.progress = progress;
        }

        OpenFile open(Path file, FileHead head, long offset) throws IOException {
            TailHandler handler = new LongLineCounter(handlers.open(path, head, progress));
            return new OpenFile(file, head, offset, settings, handler);
        }

        /**
         * Reads {@code older} (where the path's content went: renamed, or copied before a
         * truncation) on from {@code offset} before the file now at the path, {@code newer}, and
         * the files rotated in between after it. Its lines carry positions in {@code older}
         * (its device and inode), so a checkpoint taken meanwhile resumes there after a restart.
         */
        void finishFirst(Saved older, long offset, FileIdentity newer) throws IOException {
            rotatedAway = open(older.file(), older.head(), offset);
            rotatedAwayQuietSince = System.nanoTime();
            rotatedBetween.addAll(rotatedBetween(path, older.file(), older.head().identity(), newer));
        }

        long lag() {
            return lagBytes;
        }

        long poll() throws IOException, InterruptedException {
            long total = 0;
            if (rotatedAway != null) {
                long n = readToEnd(rotatedAway, Integer.MAX_VALUE);
                total += n + readRotatedBetween();
                long now = System.nanoTime();
                if (n > 0) {
                    rotatedAwayQuietSince = now;
                } else if (now - rotatedAwayQuietSince >= ROTATE_WAIT.toNanos()) {
                    total += finishRotatedAway();
                }
            }
            long n = readToEnd(current, CHUNKS_PER_TURN);
            total += n;
            if (n < (long) CHUNK * CHUNKS_PER_TURN || current.replaced().isPresent()) {
                total += checkRotation();
            }
            lagBytes = Math.max(0, current.size() - current.readOffset());
            return total;
        }

        private long checkRotation() throws IOException, InterruptedException {
            FileIdentity now;
            try {
                now = FileIdentity.of(path);
            } catch (NoSuchFileException e) {
                // renamed away with no successor yet, or deleted: finish what was written
                long n = readToEnd(current, Integer.MAX_VALUE);
                current.finish();
                gone = true;
                return n + finishRotatedAway();
            }
            if (!now.equals(current.identity)) {
                // the successor first: if it cannot be opened yet (still being created, not yet
                // readable), the file being read stays as it is and the next poll tries again
                OpenFile successor = open(path, FileHead.empty(now), 0);
                long n = readToEnd(current, Integer.MAX_VALUE) + finishRotatedAway();
                // reading may have stopped (Kafka down) while the file rotated more than once
                findRenamed(path, current.identity)
                        .ifPresent(renamed -> rotatedBetween.addAll(rotatedBetween(path, renamed, current.identity, now)));
                rotatedAway = current;
                rotatedAwayQuietSince = System.nanoTime();
                current = successor;
                return n + readRotatedBetween() + readToEnd(current, CHUNKS_PER_TURN);
            }
            Optional<String> replaced = current.size() < current.readOffset()
                    ? Optional.of("it is shorter than the " + current.readOffset() + " bytes read")
                    : current.replaced();
            if (replaced.isPresent()) {
                return copytruncated(replaced.get());
            }
            current.handler.idle(System.nanoTime());
            return 0;
        }

        /**
         * The file at the path was truncated in place (copytruncate) after its lines were handed on
         * up to {@link OpenFile#handedOnTo()}: what it held after that is in the copy, if logrotate
         * made one next to it, which is read on from there like a renamed file; then the file is
         * read again from its start. The same copy is looked for as after a restart ({@link #findCopy}).
         */
        private long copytruncated(String reason) throws IOException, InterruptedException {
            // a rename rotation still being finished is older than anything the copy holds
            long n = finishRotatedAway() + readRotatedBetween();
            FilePosition handedOnTo = current.handedOnTo();
            Optional<Saved> copy = findCopy(path, handedOnTo);
            LOG.info("source {}: {} was truncated (copytruncate): {}; reading it again from its start{}", source, path, reason,
                    copy.map(c -> ", after the rest of its copy " + c.file() + " from offset " + handedOnTo.offset()).orElse(""));
            current.restartAtZero();
            if (copy.isPresent()) {
                finishFirst(copy.get(), handedOnTo.offset(), current.identity);
                n += readToEnd(rotatedAway, Integer.MAX_VALUE) + readRotatedBetween();
            }
            return n + readToEnd(current, CHUNKS_PER_TURN);
        }

        /** Reads the file renamed away to its end, ships what it still holds back, and closes it. */
        private long finishRotatedAway() throws IOException, InterruptedException {
            if (rotatedAway == null) {
                return 0;
            }
            long n = readToEnd(rotatedAway, Integer.MAX_VALUE);
            rotatedAway.finish();
            rotatedAway.close();
            rotatedAway = null;
            return n;
        }

        /** Reads the files rotated between the one being finished and the current one: complete, so at once. */
        private long readRotatedBetween() throws IOException, InterruptedException {
            long n = 0;
            for (Path between; (between = rotatedBetween.poll()) != null; ) {
                LOG.info("source {}: {} rotated more than once since it was last read; reading {} too", source, path, between);
                try (OpenFile file = open(between, FileHead.empty(FileIdentity.of(between)), 0)) {
                    n += readToEnd(file, Integer.MAX_VALUE);
                    file.finish();
                } catch (NoSuchFileException e) {
                    metrics.badInput(source, "unreadable_file", between + ": gone (compressed or deleted) before it was read");
                }
            }
            return n;
        }

        private long readToEnd(OpenFile file, int maxChunks) throws IOException, InterruptedException {
            long total = 0;
            for (int i = 0; i < maxChunks; i++) {
                int n = file.readOnce(buffer, headCheck, stats);
                if (n <= 0) {
                    break;
                }
                total += n;
            }
            return total;
        }

        void close() {
            if (current != null) {
                current.close();
            }
            if (rotatedAway != null) {
                rotatedAway.close();
            }
            if (lag != null) {
                metrics.removeFileLag(lag);
            }
        }
    }

    /** Counts every over-long line once, as bad input, whatever the source does with it. */
    private final class LongLineCounter implements TailHandler {
        private final TailHandler inner;

        LongLineCounter(TailHandler inner) {
            this.inner = inner;
        }

        @Override
        public void line(byte[] bytes, int offset, int length, long startOffset, long endOffset, LineCut cut) throws InterruptedException {
            if (cut == LineCut.TRUNCATED || cut == LineCut.SPLIT_FIRST) {
                metrics.badInput(source, "line_too_long", (cut == LineCut.TRUNCATED ? "truncated" : "split")
                        + " at " + settings.maxLineSize() + " bytes");
            }
            inner.line(bytes, offset, length, startOffset, endOffset, cut);
        }

        @Override
        public void idle(long nowNanos) throws InterruptedException {
            inner.idle(nowNanos);
        }

        @Override
        public void finish() throws InterruptedException {
            inner.finish();
        }
    }
}

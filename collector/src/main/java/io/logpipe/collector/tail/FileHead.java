package io.logpipe.collector.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * One file being read and its first {@link #SIZE} bytes as far as they have been read: it makes
 * the checkpoint positions in that file ({@link #position}), each with the fingerprint of the
 * bytes before it. A file shorter than {@code SIZE} gets a fingerprint as long as the offset,
 * widened with every position as the file is read further; the fingerprint records its length,
 * so a resume compares exactly that many bytes.
 *
 * <p>Grows as the file is read, so not immutable; used by the tailing thread only.
 */
public final class FileHead {
    /** Bytes fingerprinted at most: past a line or two of any log, enough to tell two files apart. */
    public static final int SIZE = 1024;

    private final FileIdentity identity;
    private final byte[] head = new byte[SIZE];
    private int known;
    private Fingerprint last = Fingerprint.of(head, 0);

    private FileHead(FileIdentity identity) {
        this.identity = identity;
    }

    /** A file read from its start: the head fills as it is read. */
    public static FileHead empty(FileIdentity identity) {
        return new FileHead(identity);
    }

    /** {@code file}'s head up to {@code offset} (at most {@link #SIZE} bytes), read now; less when the file is shorter. */
    public static FileHead read(Path file, FileIdentity identity, long offset) throws IOException {
        FileHead head = new FileHead(identity);
        int wanted = (int) Math.min(offset, SIZE);
        if (wanted == 0) {
            return head;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            head.known = readStart(channel, ByteBuffer.wrap(head.head, 0, wanted));
        }
        return head;
    }

    /** Reads the file's first {@code buffer.remaining()} bytes, at position 0 of {@code buffer}; returns how many it has. */
    private static int readStart(FileChannel channel, ByteBuffer buffer) throws IOException {
        int n = 0;
        while (buffer.hasRemaining() && n >= 0) {
            n = channel.read(buffer, buffer.position()); // a short read is not yet the end of the file
        }
        return buffer.position();
    }

    public FileIdentity identity() {
        return identity;
    }

    /**
     * Why a position saved earlier does not belong to this file's content, if it does not:
     * the file is now shorter than the bytes fingerprinted, or they differ. A position without
     * fingerprint (an older checkpoint) is taken as it is.
     */
    public Optional<String> mismatch(FilePosition saved) {
        Fingerprint fingerprint = saved.fingerprint();
        if (fingerprint == null) {
            return Optional.empty();
        }
        if (fingerprint.length() > known) {
            return Optional.of("it is now shorter than the " + fingerprint.length() + " bytes fingerprinted at offset " + saved.offset());
        }
        if (!Fingerprint.of(head, fingerprint.length()).equals(fingerprint)) {
            return Optional.of("its first " + fingerprint.length() + " bytes are not those fingerprinted at offset " + saved.offset());
        }
        return Optional.empty();
    }

    /**
     * Why the file open as {@code channel} no longer starts with the bytes read at its start, if it
     * does not: it was truncated and written again (copytruncate) since, so an offset counted in it
     * means nothing now. Reads at most {@link #SIZE} bytes into {@code scratch} and compares them
     * as they are (no hash: both sides are here).
     */
    Optional<String> changedIn(FileChannel channel, ByteBuffer scratch) throws IOException {
        if (known == 0) {
            return Optional.empty();
        }
        scratch.clear().limit(known);
        int n = readStart(channel, scratch);
        if (n < known) {
            return Optional.of("it is now shorter than the " + known + " bytes first read from it");
        }
        if (!Arrays.equals(scratch.array(), scratch.arrayOffset(), scratch.arrayOffset() + known, head, 0, known)) {
            return Optional.of("its first " + known + " bytes are no longer those first read from it");
        }
        return Optional.empty();
    }

    /** The checkpoint position just before file offset {@code offset}, which has been read. */
    public FilePosition position(long offset) {
        int length = (int) Math.min(offset, known);
        if (last.length() != length) {
            last = Fingerprint.of(head, length);
        }
        return new FilePosition(identity, offset, last);
    }

    /**
     * {@code length} bytes were read at {@code fileOffset}: the part of them inside the head is kept.
     * A gap (the head read when the file was shorter than its offset) leaves the head short: the
     * fingerprints stay shorter, which is still true of the file.
     */
    void saw(byte[] bytes, int offset, int length, long fileOffset) {
        if (known == SIZE || fileOffset != known) {
            return;
        }
        int n = (int) Math.min(length, SIZE - fileOffset);
        System.arraycopy(bytes, offset, head, known, n);
        known += n;
    }

    /** The file is read again from its start (truncated): what it held before is no longer its head. */
    void forget() {
        known = 0;
    }
}

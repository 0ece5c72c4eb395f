package io.logpipe.collector.source.journald;

import io.logpipe.collector.tail.LineCut;
import io.logpipe.collector.tail.LongLines;
import io.logpipe.record.LineText;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One field's value as journalctl prints it, cut as it is read into pieces of at most
 * {@code limit} bytes of UTF-8, as a long file line is ({@code LineReader}). Text is cut between
 * characters; binary data (an array of byte numbers) between bytes, but not inside what looks
 * like a UTF-8 sequence, so that a piece decodes the way the whole would. Each piece is decoded on
 * its own ({@link LineText#decode}): a piece whose bytes are not UTF-8 carries exactly its own
 * bytes in {@code raw_bytes}, so the original value is the pieces' original bytes one after the other.
 *
 * <p>journalctl prints an entry's fields in no fixed order, and MESSAGE may come before
 * {@code __CURSOR} and the unit, which every piece's record needs. So the pieces cannot go out
 * while they are read: the first stays in memory, the others wait in a spill file (in the
 * checkpoint directory) until the entry is read, and {@link #forEach} hands them out then. Memory
 * stays at about two pieces whatever the value's size. With {@link LongLines#TRUNCATE}, or without
 * a spill file, only the first piece is kept.
 */
final class MessagePieces implements JsonScanner.FieldValue, Closeable {
    private static final char[] NEWLINE = {'\n'};
    private final int limit;
    private final LongLines longLines;
    private final Path spillFile;
    private byte[] buffer = new byte[256];
    private int length;
    private byte[] first;
    private int pieces;
    private boolean truncated;
    private boolean binary;
    private char highSurrogate;
    private String spillFailure;
    private DataOutputStream spill;
    private boolean spilled;
    private final byte[] encoded = new byte[4];

    /** @param spillFile where pieces after the first wait; null keeps only the first (small fields) */
    MessagePieces(int limit, LongLines longLines, Path spillFile) {
        if (limit < 4) {
            throw new IllegalArgumentException("a piece must hold a UTF-8 character: " + limit);
        }
        this.limit = limit;
        this.longLines = longLines;
        this.spillFile = spillFile;
    }

    @Override
    public void text(char[] chars, int offset, int count) {
        for (int i = offset, end = offset + count; i < end; i++) {
            char c = chars[i];
            if (highSurrogate != 0) {
                char high = highSurrogate;
                highSurrogate = 0;
                if (Character.isLowSurrogate(c)) {
                    put(encode(Character.toCodePoint(high, c)));
                    continue;
                }
                put(encode(0xfffd)); // a lone surrogate (only an escape can make one): what Java's encoder would make of it
            }
            if (Character.isHighSurrogate(c)) {
                highSurrogate = c;
            } else {
                put(encode(Character.isLowSurrogate(c) ? 0xfffd : c));
            }
        }
    }

    /** One byte of a binary value (journalctl's array of numbers). */
    void binaryByte(int value) {
        binary = true;
        encoded[0] = (byte) value;
        put(1);
    }

    /** The next value of a field given more than once: they are kept one a line. */
    void nextValue() {
        text(NEWLINE, 0, 1);
    }

    /** The value is complete: what is left is its last piece. */
    void finish() {
        if (highSurrogate != 0) {
            highSurrogate = 0;
            put(encode(0xfffd));
        }
        if (truncated) {
            return;
        }
        if (pieces == 0) {
            first = Arrays.copyOf(buffer, length);
            pieces = 1;
        } else if (length > 0) {
            try {
                spill(buffer, length);
                spill.flush();
                pieces++;
            } catch (IOException e) {
                spillFailure = e.getMessage();
                truncated = true;
            }
        }
        length = 0;
    }

    private int encode(int codePoint) {
        if (codePoint < 0x80) {
            encoded[0] = (byte) codePoint;
            return 1;
        }
        if (codePoint < 0x800) {
            encoded[0] = (byte) (0xc0 | codePoint >> 6);
            encoded[1] = (byte) (0x80 | codePoint & 0x3f);
            return 2;
        }
        if (codePoint < 0x10000) {
            encoded[0] = (byte) (0xe0 | codePoint >> 12);
            encoded[1] = (byte) (0x80 | codePoint >> 6 & 0x3f);
            encoded[2] = (byte) (0x80 | codePoint & 0x3f);
            return 3;
        }
        encoded[0] = (byte) (0xf0 | codePoint >> 18);
        encoded[1] = (byte) (0x80 | codePoint >> 12 & 0x3f);
        encoded[2] = (byte) (0x80 | codePoint >> 6 & 0x3f);
        encoded[3] = (byte) (0x80 | codePoint & 0x3f);
        return 4;
    }

    /** Appends the first {@code n} bytes of {@link #encoded} (one character, or one binary byte) to the current piece. */
    private void put(int n) {
        if (truncated) {
            return;
        }
        if (length + n > limit) {
            cut();
            if (truncated) {
                return;
            }
        }
        if (length + n > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(limit, Math.max(length + n, buffer.length * 2)));
        }
        System.arraycopy(encoded, 0, buffer, length, n);
        length += n;
    }

    /** The current piece is full: it goes to memory (the first) or to the spill file, or, truncating, the rest is dropped. */
    private void cut() {
        // the piece keeps at least its first byte: from 1
        int keep = length - LineText.incompleteUtf8Tail(buffer, 1, length);
        if (pieces == 0) {
            first = Arrays.copyOf(buffer, keep);
        } else {
            try {
                spill(buffer, keep);
            } catch (IOException e) {
                // without room for the pieces the value cannot go out whole: keep what went to memory, flagged
                spillFailure = e.getMessage();
                truncated = true;
                return;
            }
        }
        pieces++;
        if (longLines == LongLines.TRUNCATE || spillFile == null) {
            truncated = true;
            return;
        }
        System.arraycopy(buffer, keep, buffer, 0, length - keep);
        length -= keep;
    }

    private void spill(byte[] bytes, int count) throws IOException {
        if (spill == null) {
            spilled = true;
            spill = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(spillFile), 64 * 1024));
        }
        spill.writeInt(count);
        spill.write(bytes, 0, count);
    }

    /** True when the value had binary data (printed by journalctl as an array of numbers). */
    boolean hadBinary() {
        return binary;
    }

    /** True when only the first piece is kept of a longer value. */
    boolean truncated() {
        return truncated;
    }

    /** Why the pieces after the first could not be kept, or null. */
    String spillFailure() {
        return spillFailure;
    }

    /** How many pieces go out: 1 for a value that fits, or truncated. */
    int pieceCount() {
        return truncated ? 1 : Math.max(pieces, 1);
    }

    /** The value when it fits in one piece, else its first piece. */
    LineText text() {
        return first != null ? LineText.decode(first) : LineText.decode(buffer, 0, length);
    }

    /** Hands out the pieces in order, each decoded, with how it was cut; call after {@link #finish()}. */
    void forEach(PieceConsumer consumer) throws IOException, InterruptedException {
        if (pieceCount() == 1) {
            consumer.piece(text(), truncated ? LineCut.TRUNCATED : LineCut.WHOLE, true);
            return;
        }
        consumer.piece(LineText.decode(first), LineCut.SPLIT_FIRST, false);
        spill.close();
        spill = null;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(spillFile), 64 * 1024))) {
            for (int i = 1; i < pieces; i++) {
                byte[] piece = new byte[in.readInt()];
                in.readFully(piece);
                consumer.piece(LineText.decode(piece), LineCut.SPLIT_MORE, i == pieces - 1);
            }
        }
    }

    /** Forgets the spill file. */
    @Override
    public void close() throws IOException {
        if (spill != null) {
            spill.close();
            spill = null;
        }
        if (spilled) {
            Files.deleteIfExists(spillFile);
        }
    }

    @FunctionalInterface
    interface PieceConsumer {
        void piece(LineText text, LineCut cut, boolean last) throws IOException, InterruptedException;
    }
}

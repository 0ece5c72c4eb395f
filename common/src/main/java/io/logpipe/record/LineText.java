package io.logpipe.record;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A line's text as read from bytes. Invalid UTF-8 never stops the pipeline: the text gets
 * U+FFFD where the bad bytes were (what Loki can store), and the original bytes travel
 * base64-encoded beside it, so nothing is lost.
 *
 * @param text the decoded line
 * @param rawBytesBase64 the original bytes in base64 when they were not valid UTF-8, else null
 */
public record LineText(String text, String rawBytesBase64) {

    public static LineText decode(byte[] bytes, int offset, int length) {
        if (isAscii(bytes, offset, length)) {
            // the common case, and the cheapest: ASCII is valid UTF-8, and Latin-1 decoding of it is a plain copy
            return new LineText(new String(bytes, offset, length, StandardCharsets.ISO_8859_1), null);
        }
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = strict.decode(ByteBuffer.wrap(bytes, offset, length));
            return new LineText(chars.toString(), null);
        } catch (CharacterCodingException invalid) {
            String replaced = new String(bytes, offset, length, StandardCharsets.UTF_8);
            byte[] original = new byte[length];
            System.arraycopy(bytes, offset, original, 0, length);
            return new LineText(replaced, Base64.getEncoder().encodeToString(original));
        }
    }

    private static boolean isAscii(byte[] bytes, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    public static LineText decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    public boolean valid() {
        return rawBytesBase64 == null;
    }

    /** The bytes as the source wrote them. */
    public byte[] originalBytes() {
        return rawBytesBase64 == null ? text.getBytes(StandardCharsets.UTF_8) : Base64.getDecoder().decode(rawBytesBase64);
    }

    /**
     * How many bytes at the end of {@code bytes[from, end)} start a UTF-8 sequence that goes on
     * after {@code end} (at most 3), so that a line cut at {@code end - n} keeps its characters
     * whole on both sides; 0 when {@code end} falls between characters or the bytes are not UTF-8
     * there. The collector cuts long lines and journald messages into pieces that are each decoded
     * on their own, and a cut inside a character would turn it into two invalid halves.
     */
    public static int incompleteUtf8Tail(byte[] bytes, int from, int end) {
        for (int back = 1; back <= Math.min(3, end - from); back++) {
            int b = bytes[end - back] & 0xff;
            if ((b & 0xc0) == 0x80) {
                continue; // a continuation byte: look further back for its lead byte
            }
            int needed = (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 1;
            return needed > back ? back : 0;
        }
        return 0;
    }
}

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
}

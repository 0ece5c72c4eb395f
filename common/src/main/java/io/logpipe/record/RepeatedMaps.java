package io.logpipe.record;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The attribute and label maps of raw records, decoded once per distinct JSON text and then
 * shared by every record that carries the same bytes. All lines of a container or unit carry the
 * same maps; the stream-processor decodes every line, and building two sorted maps of a dozen
 * strings per line cost more than the rest of the decoding. Shared instances also hash and
 * compare cheaply where the processor looks up a stream's labels by them.
 *
 * <p>Looked up by the bytes themselves ({@link JsonBytes#hash}) in an open-addressing table: a
 * hit allocates nothing. One instance per thread; it forgets everything at {@value #REMEMBERED}
 * texts, and texts longer than {@value #LONGEST} bytes are not remembered.
 */
final class RepeatedMaps {
    private static final int REMEMBERED = 4096;
    private static final int SLOTS = REMEMBERED * 2; // a power of two, at most half full
    private static final int LONGEST = 4096;

    private final byte[][] texts = new byte[SLOTS][];
    private final int[] hashes = new int[SLOTS];
    private final Object[] maps = new Object[SLOTS];
    private int count;

    /**
     * The map whose JSON text is {@code json[from, to)}: the one decoded before, or what
     * {@code decode} gives (an immutable sorted map; it may throw, and then nothing is remembered).
     */
    @SuppressWarnings("unchecked")
    Map<String, String> get(byte[] json, int from, int to, Supplier<Map<String, String>> decode) {
        if (to - from > LONGEST) {
            return decode.get();
        }
        int hash = JsonBytes.hash(json, from, to);
        int slot = hash & (SLOTS - 1);
        for (byte[] text = texts[slot]; text != null; text = texts[slot]) {
            if (hashes[slot] == hash && Arrays.equals(text, 0, text.length, json, from, to)) {
                return (Map<String, String>) maps[slot];
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        Map<String, String> map = decode.get();
        if (count >= REMEMBERED) {
            Arrays.fill(texts, null);
            Arrays.fill(maps, null);
            count = 0;
            slot = hash & (SLOTS - 1);
        }
        texts[slot] = Arrays.copyOfRange(json, from, to);
        hashes[slot] = hash;
        maps[slot] = map;
        count++;
        return map;
    }
}

package io.logpipe.record;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The attribute and label maps of raw records, decoded once per distinct JSON text and then
 * shared by every record that carries the same text. All lines of a container or unit carry the
 * same maps; the stream-processor decodes every line, and building two sorted maps of a dozen
 * strings per line cost more than the rest of the decoding. Shared instances also hash and
 * compare cheaply where the processor looks up a stream's labels by them.
 *
 * <p>The key is the map's JSON text read as ISO-8859-1, which maps each byte to one char: equal
 * keys are equal bytes. One instance per thread; it forgets everything at {@value #REMEMBERED}
 * texts, and texts longer than {@value #LONGEST} bytes are not remembered.
 */
final class RepeatedMaps {
    private static final int REMEMBERED = 4096;
    private static final int LONGEST = 4096;

    private final Map<String, Map<String, String>> decoded = new HashMap<>();

    /**
     * The map whose JSON text is {@code json[from, to)}: the one decoded before, or what
     * {@code decode} gives (an immutable sorted map, or null when the text is not a map of strings,
     * which is not remembered).
     */
    Map<String, String> get(byte[] json, int from, int to, Supplier<Map<String, String>> decode) {
        if (to - from > LONGEST) {
            return decode.get();
        }
        String text = new String(json, from, to - from, StandardCharsets.ISO_8859_1);
        Map<String, String> map = decoded.get(text);
        if (map == null) {
            map = decode.get();
            if (map != null) {
                if (decoded.size() >= REMEMBERED) {
                    decoded.clear();
                }
                decoded.put(text, map);
            }
        }
        return map;
    }
}

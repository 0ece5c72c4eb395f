package io.logpipe.record;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The attribute and label maps of raw records, decoded once per distinct JSON text and then
 * shared by every record that carries the same bytes. All lines of a container or unit carry the
 * same maps; the stream-processor decodes every line, and building two sorted maps of a dozen
 * strings per line cost more than the rest of the decoding. Shared instances also hash and
 * compare cheaply where the processor looks up a stream's labels by them.
 *
 * <p>Looked up by the bytes themselves ({@link ByteRange}): a hit copies nothing. One instance
 * per thread; it forgets everything at {@value #REMEMBERED} texts, and texts longer than
 * {@value #LONGEST} bytes are not remembered.
 */
final class RepeatedMaps {
    private static final int REMEMBERED = 4096;
    private static final int LONGEST = 4096;

    private final Map<ByteRange, Map<String, String>> decoded = new HashMap<>();

    /**
     * The map whose JSON text is {@code json[from, to)}: the one decoded before, or what
     * {@code decode} gives (an immutable sorted map; it may throw, and then nothing is remembered).
     */
    Map<String, String> get(byte[] json, int from, int to, Supplier<Map<String, String>> decode) {
        if (to - from > LONGEST) {
            return decode.get();
        }
        ByteRange text = new ByteRange(json, from, to);
        Map<String, String> map = decoded.get(text);
        if (map == null) {
            map = decode.get();
            if (decoded.size() >= REMEMBERED) {
                decoded.clear();
            }
            decoded.put(text.copy(), map);
        }
        return map;
    }
}

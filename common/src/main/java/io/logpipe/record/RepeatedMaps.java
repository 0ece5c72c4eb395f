package io.logpipe.record;

import java.util.Arrays;
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
 * <p>Two tables. {@link #get} looks a map up by its whole text ({@link ByteRange}: a hit copies
 * nothing), which needs the text's end, so the reader first walks every member of the map.
 * {@link #recent} skips that walk: it compares the bytes where a map starts with the few texts
 * the same source had lately, and a text that matches is the map, end included, because a JSON
 * object ends where its own bytes say. A source's maps rarely change (a journald unit's vary with
 * priority and pid), so the first candidate is nearly always the one.
 *
 * <p>One instance per thread; each table forgets everything at {@value #REMEMBERED} entries, and
 * texts longer than {@value #LONGEST} bytes are not remembered.
 */
final class RepeatedMaps {
    private static final int REMEMBERED = 4096;
    private static final int LONGEST = 4096;
    private static final int PER_SOURCE = 8;

    /** A map's JSON text (its own copy, never modified) and the map decoded from it. */
    record Known(byte[] text, Map<String, String> map) {
    }

    private final Map<ByteRange, Known> decoded = new HashMap<>();
    private final Map<String, Recent> bySource = new HashMap<>();

    /**
     * The map whose JSON text is {@code json[from, to)}: the one decoded before, or what
     * {@code decode} gives (an immutable sorted map; it may throw, and then nothing is remembered).
     * It becomes one of {@code source}'s recent maps unless {@code source} is null.
     */
    Map<String, String> get(byte[] json, int from, int to, String source, Supplier<Map<String, String>> decode) {
        if (to - from > LONGEST) {
            return decode.get();
        }
        ByteRange text = new ByteRange(json, from, to);
        Known known = decoded.get(text);
        if (known == null) {
            Map<String, String> map = decode.get();
            if (decoded.size() >= REMEMBERED) {
                decoded.clear();
            }
            ByteRange kept = text.copy();
            known = new Known(kept.bytes(), map);
            decoded.put(kept, known);
        }
        if (source != null) {
            if (bySource.size() >= REMEMBERED) {
                bySource.clear();
            }
            bySource.computeIfAbsent(source, s -> new Recent()).add(known);
        }
        return known.map();
    }

    /** The recent map of {@code source} whose text is where {@code json[from, ...)} starts, or null. */
    Known recent(String source, byte[] json, int from) {
        Recent recent = bySource.get(source);
        return recent == null ? null : recent.find(json, from);
    }

    /** A source's last few map texts, newest replacing oldest. */
    private static final class Recent {
        private final Known[] known = new Known[PER_SOURCE];
        private int next;

        Known find(byte[] json, int from) {
            for (Known k : known) {
                if (k == null) {
                    return null;
                }
                byte[] text = k.text();
                int to = from + text.length;
                if (to <= json.length && Arrays.equals(json, from, to, text, 0, text.length)) {
                    return k;
                }
            }
            return null;
        }

        void add(Known k) {
            for (Known present : known) {
                if (present == k) {
                    return;
                }
            }
            known[next] = k;
            next = (next + 1) % PER_SOURCE;
        }
    }
}

package io.logpipe.sink.admission;

import static io.logpipe.config.ConfigException.require;

import java.nio.charset.StandardCharsets;

/**
 * Keeps lines within Loki's {@code max_line_size}: a longer line is cut on a character boundary
 * and ends with {@code marker}, so it is stored (and visibly incomplete) instead of refused.
 *
 * @param maxBytes the largest line in UTF-8 bytes, marker included
 * @param marker appended to a cut line
 */
public record LineLimit(int maxBytes, String marker) {
    public static final int LOKI_DEFAULT_MAX_BYTES = 256 * 1024;
    public static final String DEFAULT_MARKER = " …[truncated by logpipe]";

    public LineLimit {
        marker = marker == null ? DEFAULT_MARKER : marker;
        require(maxBytes > marker.getBytes(StandardCharsets.UTF_8).length, "max_line_size",
                "must be larger than the truncation marker");
    }

    /** {@code line} itself when it fits, else its longest prefix that fits with the marker. */
    public String fit(String line) {
        // a UTF-8 character takes at most 3 bytes for each UTF-16 char: most lines need no counting
        if ((long) line.length() * 3 <= maxBytes) {
            return line;
        }
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return line;
        }
        int keep = maxBytes - marker.getBytes(StandardCharsets.UTF_8).length;
        while (keep > 0 && (bytes[keep] & 0xC0) == 0x80) {
            keep--; // do not cut inside a multi-byte character
        }
        return new String(bytes, 0, keep, StandardCharsets.UTF_8) + marker;
    }
}

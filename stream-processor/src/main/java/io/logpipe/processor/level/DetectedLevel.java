package io.logpipe.processor.level;

import io.logpipe.record.Level;

/** A line's normalised level and the rule that found it. */
public record DetectedLevel(Level level, LineFormat format) {
    static final DetectedLevel NONE = new DetectedLevel(Level.UNKNOWN, LineFormat.PLAIN);
}

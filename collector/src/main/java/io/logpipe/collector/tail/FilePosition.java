package io.logpipe.collector.tail;

/** A tailed path's checkpoint: the file it named and the offset just after the last line shipped from it. */
public record FilePosition(FileIdentity file, long offset) {
}

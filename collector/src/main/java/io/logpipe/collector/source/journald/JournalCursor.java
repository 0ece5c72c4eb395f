package io.logpipe.collector.source.journald;

/** A journald source's checkpoint: the {@code __CURSOR} of the last entry Kafka acknowledged. */
public record JournalCursor(String cursor) {
}

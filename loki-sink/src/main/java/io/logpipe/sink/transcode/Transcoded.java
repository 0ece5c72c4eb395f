package io.logpipe.sink.transcode;

/**
 * An enriched value read by the {@link EntryTranscoder}.
 *
 * @param timestampNanos the record's {@code ts}
 * @param labelsFrom where the {@code labels} object starts in the value (its opening brace)
 * @param labelsTo where it ends (after its closing brace)
 * @param labelsWereLikely true when the labels are the bytes the caller said they likely were
 * @param entry the {@code EntryAdapter} bytes, as {@code io.logpipe.sink.push.LokiEntry#encoded}
 * @param metadataAt where the structured metadata start in {@code entry}
 */
public record Transcoded(long timestampNanos, int labelsFrom, int labelsTo, boolean labelsWereLikely,
                         byte[] entry, int metadataAt) {
}

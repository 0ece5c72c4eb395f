/**
 * The sink's hot path from an enriched record's JSON value to a Loki entry's protobuf bytes.
 *
 * <p>{@link io.logpipe.sink.transcode.EntryTranscoder} reads the value in one pass and writes the
 * {@code EntryAdapter} bytes directly (timestamp, unescaped line, structured metadata), without
 * building an {@code EnrichedRecord}, its maps or its strings: decoding and re-encoding those
 * was a third of the sink's CPU. It only knows the plain form logpipe writes
 * (docs/record-format.md); anything else it leaves to the reference path,
 * {@code RecordCodec.decodeEnriched} then {@code LokiEntry}'s builder encoding, which also gives
 * the refusals (DLQ reasons) and the line truncation. EntryTranscoderTest pins the two together:
 * same bytes for every value the transcoder takes, and no value taken that the reference refuses.
 */
package io.logpipe.sink.transcode;

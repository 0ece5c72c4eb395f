/**
 * The values of every logpipe topic. JSON rather than a binary schema, so that {@code kcat} and
 * {@code logpipe tail} read any topic by eye; a format version in each value, so that a reader
 * refuses what it does not know instead of guessing; the source's own nanosecond timestamp, so
 * that a record re-sent after a crash is the same Loki entry. The field-by-field description is
 * docs/record-format.md.
 *
 * <p>Jackson data binding on the record classes is the reference codec: it accepts what JSON
 * allows and words every refusal. The per-line paths are written by hand because they dominated the
 * collector's and the processor's CPU: {@code RecordJsonWriter} writes both record kinds,
 * {@code RawRecordReader} reads raw records in the form the writer gives (anything else falls back
 * to data binding) and {@code RepeatedMaps} shares the attribute maps that repeat on every line of
 * a source. RecordCodecTest and RawRecordReaderTest pin each to the reference.
 */
package io.logpipe.record;

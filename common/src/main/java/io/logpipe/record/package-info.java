/**
 * The values of every logpipe topic. JSON rather than a binary schema, so that {@code kcat} and
 * {@code logpipe tail} read any topic by eye; a format version in each value, so that a reader
 * refuses what it does not know instead of guessing; the source's own nanosecond timestamp, so
 * that a record re-sent after a crash is the same Loki entry. The field-by-field description is
 * docs/record-format.md.
 */
package io.logpipe.record;

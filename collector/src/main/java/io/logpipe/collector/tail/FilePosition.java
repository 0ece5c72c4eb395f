package io.logpipe.collector.tail;

/**
 * A tailed path's checkpoint: the file it named, the offset just after the last line shipped
 * from it, and the fingerprint of the file's first bytes that says the offset still belongs to
 * what the file holds.
 *
 * @param fingerprint null in checkpoints written before fingerprints existed: such an offset is
 *                    taken as it is, as it was then
 */
public record FilePosition(FileIdentity file, long offset, Fingerprint fingerprint) {
}

package io.logpipe.collector.tail;

import java.util.zip.CRC32C;

/**
 * The first {@code length} bytes of a file, as a CRC32C: what a checkpoint's offset was counted
 * in. Device and inode alone do not say that: a file truncated in place (copytruncate) keeps
 * them, and a deleted file's inode is given to the next file created.
 *
 * @param length bytes hashed, from the file's start: {@code min(offset, }{@link FileHead#SIZE}{@code )} of
 *               the position it belongs to, so it covers only bytes that were read and acknowledged
 * @param crc32c their CRC32C
 */
public record Fingerprint(int length, long crc32c) {

    public static Fingerprint of(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return new Fingerprint(length, crc.getValue());
    }
}

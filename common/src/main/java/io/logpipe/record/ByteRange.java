package io.logpipe.record;

import java.util.Arrays;

/**
 * A range of bytes as a map key, for the tables that recognise a label or attribute object by its
 * JSON bytes: a lookup wraps the record's own bytes, only an entry kept in the table copies them.
 */
public final class ByteRange {
    private final byte[] bytes;
    private final int from;
    private final int to;
    private final int hash;

    public ByteRange(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.from = from;
        this.to = to;
        this.hash = JsonBytes.hash(bytes, from, to);
    }

    /** The same bytes in an array of their own: what a table keeps, as the record's array is reused or dropped. */
    public ByteRange copy() {
        return new ByteRange(Arrays.copyOfRange(bytes, from, to), 0, to - from);
    }

    /** True when this range lies in {@code array} (it was not copied). */
    public boolean liesIn(byte[] array) {
        return bytes == array;
    }

    /** The bytes of a range made by {@link #copy()} (the array itself: not to be modified). */
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteRange other && Arrays.equals(bytes, from, to, other.bytes, other.from, other.to);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}

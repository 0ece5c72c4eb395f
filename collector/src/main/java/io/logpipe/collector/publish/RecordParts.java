package io.logpipe.collector.publish;

import io.logpipe.record.LineText;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.RecordFlag;
import java.util.Base64;
import java.util.EnumSet;

/**
 * A record whose JSON is larger than Kafka takes, as records that each fit: consecutive parts of
 * its line, each with the record's ts, kind, source, attributes, labels and flags, and flagged
 * {@code split}. A line grows when encoded (a byte that is not UTF-8 becomes U+FFFD, 3 bytes, and
 * travels again in base64; a control character becomes a 6-byte escape), so a piece the source
 * kept under {@code max_line_size} can still be too large, and cutting it would lose the rest.
 *
 * <p>A line that was not valid UTF-8 is cut in its original bytes, between bytes but not inside
 * a UTF-8 sequence, and each part decoded on its own ({@link LineText#decode}): a part that is not
 * valid carries exactly its own bytes in {@code raw_bytes}, so the original line is the parts'
 * original bytes one after the other, the rule journald's long MESSAGEs follow. A valid line is
 * cut between characters.
 *
 * <p>Parts are encoded one at a time as they are sent, so memory stays at the line plus one part.
 */
final class RecordParts {
    /**
     * What a part of one character (or one UTF-8 sequence of bytes) needs beyond the record with
     * its line empty: the line's JSON (at most a surrogate pair as two escapes, 12 bytes),
     * {@code raw_bytes} of up to 4 bytes with its name, and the {@code invalid_utf8} flag.
     */
    static final int SMALLEST_PART_ROOM = 64;
    // parts are sized from the whole line's expansion, which a part may exceed a little
    private static final double MARGIN = 0.95;

    private final RawRecord record;
    private final int maxRecordBytes;
    /** The original bytes of a line that was not valid UTF-8; null for a valid line, cut as text. */
    private final byte[] original;
    private final int units;
    private final int bareBytes;
    private int start;
    private int partUnits;

    /** @param encodedLength the size of {@code record} encoded whole, larger than {@code maxRecordBytes} */
    RecordParts(RawRecord record, int encodedLength, int maxRecordBytes) {
        this.record = record;
        this.maxRecordBytes = maxRecordBytes;
        this.original = record.rawBytes() == null ? null : Base64.getDecoder().decode(record.rawBytes());
        this.units = original == null ? record.line().length() : original.length;
        this.bareBytes = RecordCodec.encode(part(0, 0)).length;
        double room = Math.max(1, maxRecordBytes - bareBytes) * MARGIN;
        long parts = Math.max(1, (long) Math.ceil((encodedLength - bareBytes) / room));
        this.partUnits = (int) Math.max(1, (units + parts - 1) / parts);
    }

    /**
     * False when the record's attributes and labels alone leave no room for a part of its line:
     * splitting cannot help, and {@link #emptied()} goes instead.
     */
    boolean splittable() {
        return bareBytes + SMALLEST_PART_ROOM <= maxRecordBytes;
    }

    /** The last resort: the record with its line dropped, flagged {@code truncated}. */
    RawRecord emptied() {
        EnumSet<RecordFlag> flags = EnumSet.of(RecordFlag.TRUNCATED);
        flags.addAll(record.flags());
        flags.remove(RecordFlag.INVALID_UTF8);
        return new RawRecord(record.version(), record.timestampNanos(), record.kind(), record.source(), "", null,
                record.attributes(), record.labels(), flags);
    }

    /** The next part, encoded and at most {@code maxRecordBytes}; null after the last. Only when {@link #splittable()}. */
    byte[] next() {
        if (start >= units) {
            return null;
        }
        while (true) {
            int end = cut(start, (int) Math.min(units, (long) start + partUnits));
            byte[] value = RecordCodec.encode(part(start, end));
            if (value.length <= maxRecordBytes || partUnits == 1) {
                start = end;
                return value;
            }
            // smaller by what this part measured, and at least by one, so a part of one unit (which
            // splittable() leaves room for) ends the loop; the rest of the line likely grows alike
            int length = end - start;
            double fits = (double) (maxRecordBytes - bareBytes) / (value.length - bareBytes) * MARGIN;
            partUnits = (int) Math.max(1, Math.min(length - 1, (long) (length * fits)));
        }
    }

    private RawRecord part(int from, int to) {
        LineText text = original == null ? new LineText(record.line().substring(from, to), null)
                : LineText.decode(original, from, to - from);
        EnumSet<RecordFlag> flags = EnumSet.of(RecordFlag.SPLIT);
        flags.addAll(record.flags());
        flags.remove(RecordFlag.INVALID_UTF8);
        if (!text.valid()) {
            flags.add(RecordFlag.INVALID_UTF8);
        }
        return new RawRecord(record.version(), record.timestampNanos(), record.kind(), record.source(), text.text(),
                text.rawBytesBase64(), record.attributes(), record.labels(), flags);
    }

    /**
     * Where a part from {@code from} wanting to end at {@code end} ends: not inside a surrogate pair
     * or a UTF-8 sequence, so that each part reads as the whole line would there. Always after
     * {@code from}: a part shorter than the character it starts with takes that whole character.
     */
    private int cut(int from, int end) {
        if (end >= units) {
            return units;
        }
        if (original == null) {
            String line = record.line();
            if (!Character.isHighSurrogate(line.charAt(end - 1)) || !Character.isLowSurrogate(line.charAt(end))) {
                return end;
            }
            return end - 1 > from ? end - 1 : end + 1;
        }
        int back = LineText.incompleteUtf8Tail(original, from, end);
        if (back == 0) {
            return end;
        }
        if (end - back > from) {
            return end - back;
        }
        int after = end;
        while (after < units && after - from < 4 && (original[after] & 0xc0) == 0x80) {
            after++;
        }
        return after;
    }
}

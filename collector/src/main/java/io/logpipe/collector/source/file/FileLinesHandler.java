package io.logpipe.collector.source.file;

import io.logpipe.collector.checkpoint.AckedProgress;
import io.logpipe.collector.publish.SourceOutput;
import io.logpipe.collector.tail.FileHead;
import io.logpipe.collector.tail.FilePosition;
import io.logpipe.collector.tail.LineCut;
import io.logpipe.collector.tail.TailHandler;
import io.logpipe.collector.timestamp.LineTimestamps;
import io.logpipe.record.LineText;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordFlag;
import io.logpipe.record.SourceKind;
import java.util.EnumSet;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the lines of one plain log file into records: one record a line, or, with a multiline
 * start pattern, one record per start line plus the lines after it. A record waiting for
 * continuation lines is shipped when the next start line comes, when it is full, after the
 * multiline timeout, or when the file ends; its checkpoint is the end of its last line, so a
 * record still waiting is re-read after a crash.
 */
final class FileLinesHandler implements TailHandler {
    private final String identity;
    private final FileHead file;
    private final AckedProgress<FilePosition> progress;
    private final SourceOutput output;
    private final Map<String, String> attributes;
    private final Map<String, String> labels;
    private final LineTimestamps timestamps;
    private final Pattern startPattern;
    private final int maxLines;
    private final long timeoutNanos;
    private final int maxSize;

    private final StringBuilder pending = new StringBuilder();
    private final EnumSet<RecordFlag> pendingFlags = EnumSet.noneOf(RecordFlag.class);
    private String pendingRawBytes;
    private int pendingLines;
    private long pendingEnd;
    private long pendingSince;
    private long pendingTimestamp;

    FileLinesHandler(String identity, FileHead file, AckedProgress<FilePosition> progress, SourceOutput output,
                     Map<String, String> attributes, Map<String, String> labels, LineTimestamps timestamps,
                     MultilineConfig multiline, int maxSize) {
        this.identity = identity;
        this.file = file;
        this.progress = progress;
        this.output = output;
        this.attributes = RawRecord.sorted(attributes);
        this.labels = RawRecord.sorted(labels);
        this.timestamps = timestamps;
        this.startPattern = multiline == null ? null : Pattern.compile(multiline.startPattern());
        this.maxLines = multiline == null ? 1 : multiline.maxLines();
        this.timeoutNanos = multiline == null ? 0 : multiline.timeout().toNanos();
        this.maxSize = maxSize;
    }

    @Override
    public void line(byte[] bytes, int offset, int length, long startOffset, long endOffset, LineCut cut) throws InterruptedException {
        LineText text = LineText.decode(bytes, offset, length);
        EnumSet<RecordFlag> flags = cut.flags();
        if (startPattern == null || cut == LineCut.SPLIT_MORE && pendingLines == 0) {
            ship(text.text(), text.rawBytesBase64(), timestampOf(text.text(), flags), flags, endOffset);
            return;
        }
        boolean starts = cut != LineCut.SPLIT_MORE && startPattern.matcher(text.text()).find();
        if (pendingLines > 0 && (starts || pendingLines >= maxLines || pending.length() + 1 + length > maxSize)) {
            shipPending();
        }
        if (pendingLines == 0) {
            pendingTimestamp = timestampOf(text.text(), pendingFlags);
            pendingSince = System.nanoTime();
        } else {
            pending.append('\n');
            pendingFlags.add(RecordFlag.JOINED);
        }
        pending.append(text.text());
        pendingFlags.addAll(flags);
        if (!text.valid()) {
            pendingRawBytes = pendingRawBytes == null ? text.rawBytesBase64() : pendingRawBytes;
        }
        pendingLines++;
        pendingEnd = endOffset;
    }

    @Override
    public void idle(long nowNanos) throws InterruptedException {
        if (pendingLines > 0 && nowNanos - pendingSince >= timeoutNanos) {
            shipPending();
        }
    }

    @Override
    public void finish() throws InterruptedException {
        if (pendingLines > 0) {
            shipPending();
        }
    }

    private long timestampOf(String line, EnumSet<RecordFlag> flags) {
        long ts = timestamps == null ? -1 : timestamps.parse(line);
        if (ts < 0) {
            flags.add(RecordFlag.READ_TIME);
            return System.currentTimeMillis() * 1_000_000L;
        }
        return ts;
    }

    private void shipPending() throws InterruptedException {
        // a joined record with invalid UTF-8 keeps the first bad line's original bytes; the text has U+FFFD
        ship(pending.toString(), pendingRawBytes, pendingTimestamp, EnumSet.copyOf(pendingFlagsOrEmpty()), pendingEnd);
        pending.setLength(0);
        pendingFlags.clear();
        pendingRawBytes = null;
        pendingLines = 0;
    }

    private EnumSet<RecordFlag> pendingFlagsOrEmpty() {
        return pendingFlags.isEmpty() ? EnumSet.noneOf(RecordFlag.class) : pendingFlags;
    }

    private void ship(String line, String rawBytes, long ts, EnumSet<RecordFlag> flags, long endOffset) throws InterruptedException {
        RawRecord record = RawRecord.of(ts, SourceKind.FILE, identity, new LineText(line, rawBytes), attributes, labels, flags);
        output.ship(record, progress, file.position(endOffset), 0);
    }
}

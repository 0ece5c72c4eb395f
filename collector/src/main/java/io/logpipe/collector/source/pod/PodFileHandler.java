package io.logpipe.collector.source.pod;

import io.logpipe.collector.checkpoint.AckedProgress;
import io.logpipe.collector.publish.SourceOutput;
import io.logpipe.collector.tail.FileHead;
import io.logpipe.collector.tail.FilePosition;
import io.logpipe.collector.tail.LineCut;
import io.logpipe.collector.tail.TailHandler;
import io.logpipe.collector.timestamp.Rfc3339;
import io.logpipe.record.LineText;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RawRecordTemplate;
import io.logpipe.record.RecordFlag;
import io.logpipe.record.SourceKind;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns one container log file into records: envelope parsed, {@code P} partial lines joined
 * per stream up to the maximum size, attributes from the path and the pod's labels.
 *
 * <p>Checkpoint safety: while a stream has partial lines waiting for their {@code F}, a record
 * of the other stream must not checkpoint past the first waiting piece, or a crash would lose
 * it. Each record's position is therefore the start of the oldest waiting piece, if any.
 */
final class PodFileHandler implements TailHandler {
    private static final Set<RecordFlag> NO_FLAGS = Set.of();
    private static final Set<RecordFlag> TRUNCATED = Set.of(RecordFlag.TRUNCATED);
    private final PodLogPath where;
    private final FileHead file;
    private final AckedProgress<FilePosition> progress;
    private final SourceOutput output;
    private final PodMetadata metadata;
    private final Map<String, String> baseAttributes;
    private final Map<String, String> labels;
    private final Rfc3339 timestamps;
    private final int maxSize;
    private final Joined stdout = new Joined();
    private final Joined stderr = new Joined();
    /** per stream (stdout, stderr) and format (CRI, docker): see {@link #template} */
    private final RawRecordTemplate[] templates = new RawRecordTemplate[4];
    private long cachedVersion = -1;
    private ContainerLine splitHeader;
    private long lastEnd;

    PodFileHandler(PodLogPath where, FileHead file, AckedProgress<FilePosition> progress, SourceOutput output,
                   PodMetadata metadata, Map<String, String> baseAttributes, Map<String, String> labels, Rfc3339 timestamps,
                   int maxSize) {
        this.where = where;
        this.file = file;
        this.progress = progress;
        this.output = output;
        this.metadata = metadata;
        this.baseAttributes = baseAttributes;
        this.labels = RawRecord.sorted(labels);
        this.timestamps = timestamps;
        this.maxSize = maxSize;
    }

    @Override
    public void line(byte[] bytes, int offset, int length, long startOffset, long endOffset, LineCut cut) throws InterruptedException {
        lastEnd = endOffset;
        if (cut == LineCut.SPLIT_MORE) {
            ContainerLine header = splitHeader;
            if (header != null) {
                emit(header.timestampNanos(), header.stream(), header.format(), bytes, offset, length, endOffset, EnumSet.of(RecordFlag.SPLIT));
            } else {
                malformed(bytes, offset, length, endOffset, EnumSet.of(RecordFlag.SPLIT));
            }
            return;
        }
        ContainerLine line = ContainerLogFormat.parse(bytes, offset, length, timestamps);
        if (line == null) {
            malformed(bytes, offset, length, endOffset, cut == LineCut.TRUNCATED ? EnumSet.of(RecordFlag.TRUNCATED) : null);
            return;
        }
        if (cut == LineCut.SPLIT_FIRST) {
            splitHeader = line;
            emit(line, line.buffer(), line.messageOffset(), line.messageLength(), endOffset, EnumSet.of(RecordFlag.SPLIT));
            return;
        }
        Joined joined = "stderr".equals(line.stream()) ? stderr : stdout;
        if (line.partial()) {
            if (joined.pieces > 0 && joined.length + line.messageLength() > maxSize) {
                // the line goes on beyond the maximum: ship what is joined so far as one piece
                shipJoined(joined, startOffset, EnumSet.of(RecordFlag.JOINED, RecordFlag.SPLIT));
            }
            joined.add(line, startOffset);
            return;
        }
        if (joined.pieces == 0) {
            emit(line, line.buffer(), line.messageOffset(), line.messageLength(), endOffset,
                    cut == LineCut.TRUNCATED ? TRUNCATED : NO_FLAGS);
            return;
        }
        joined.add(line, startOffset);
        shipJoined(joined, endOffset, cut == LineCut.TRUNCATED ? EnumSet.of(RecordFlag.TRUNCATED, RecordFlag.JOINED)
                : EnumSet.of(RecordFlag.JOINED));
    }

    private void shipJoined(Joined joined, long position, Set<RecordFlag> flags) throws InterruptedException {
        ContainerLine first = joined.first;
        joined.start = Long.MAX_VALUE; // no longer holds the checkpoint back
        emit(first.timestampNanos(), first.stream(), first.format(), joined.buffer, 0, joined.length, position, flags);
        joined.reset();
    }

    @Override
    public void finish() throws InterruptedException {
        // partial lines the file ends with: their F went to the next file, ship what there is
        for (Joined joined : new Joined[] {stdout, stderr}) {
            if (joined.pieces > 0) {
                shipJoined(joined, lastEnd, EnumSet.of(RecordFlag.JOINED));
            }
        }
        splitHeader = null;
    }

    private void malformed(byte[] bytes, int offset, int length, long endOffset, Set<RecordFlag> flags) throws InterruptedException {
        output.metrics().badInput(output.source(), "malformed_container_line",
                where.namespace() + "/" + where.pod() + "/" + where.container() + ": not CRI nor docker json-file; kept as is");
        EnumSet<RecordFlag> all = EnumSet.of(RecordFlag.READ_TIME);
        if (flags != null) {
            all.addAll(flags);
        }
        Map<String, String> attributes = attributes(null, null);
        ship(System.currentTimeMillis() * 1_000_000L, attributes, bytes, offset, length, endOffset, all);
    }

    private void emit(ContainerLine line, byte[] bytes, int offset, int length, long endOffset, Set<RecordFlag> flags)
            throws InterruptedException {
        emit(line.timestampNanos(), line.stream(), line.format(), bytes, offset, length, endOffset, flags);
    }

    private void emit(long ts, String stream, ContainerLogFormat format, byte[] bytes, int offset, int length, long endOffset,
                      Set<RecordFlag> flags) throws InterruptedException {
        output.ship(template(stream, format), ts, bytes, offset, length, flags, progress, position(endOffset), 0);
    }

    private void ship(long ts, Map<String, String> attributes, byte[] bytes, int offset, int length, long endOffset,
                      Set<RecordFlag> flags) throws InterruptedException {
        RawRecord record = RawRecord.of(ts, SourceKind.POD, where.sourceIdentity(), LineText.decode(bytes, offset, length),
                attributes, labels, flags);
        output.ship(record, progress, position(endOffset), 0);
    }

    /** Where the file is done once this record is acknowledged: not past a partial line still waiting. */
    private FilePosition position(long endOffset) {
        return file.position(Math.min(endOffset, Math.min(stdout.startOffset(), stderr.startOffset())));
    }

    /** The template of this file's records of one stream and format, made again when the pod's labels changed. */
    private RawRecordTemplate template(String stream, ContainerLogFormat format) {
        long version = metadata == null ? 0 : metadata.version();
        if (version != cachedVersion) {
            Arrays.fill(templates, null);
            cachedVersion = version;
        }
        int slot = ("stderr".equals(stream) ? 2 : 0) + format.ordinal();
        RawRecordTemplate template = templates[slot];
        if (template == null) {
            template = new RawRecordTemplate(SourceKind.POD, where.sourceIdentity(), attributes(stream, format), labels);
            templates[slot] = template;
        }
        return template;
    }

    private Map<String, String> attributes(String stream, ContainerLogFormat format) {
        Map<String, String> attributes = new HashMap<>(baseAttributes);
        if (metadata != null) {
            metadata.labels(where.podUid()).forEach((name, value) -> attributes.put("pod_label_" + name, value));
        }
        if (stream != null) {
            attributes.put("stream", stream);
        }
        attributes.put("format", format == null ? "unknown" : format.attribute());
        return attributes;
    }

    /** The partial pieces of one stream waiting for their final piece. */
    private final class Joined {
        ContainerLine first;
        int pieces;
        int length;
        long start = Long.MAX_VALUE;
        byte[] buffer = new byte[1024];

        void add(ContainerLine line, long lineStart) {
            if (pieces == 0) {
                first = line;
                start = lineStart;
            }
            int needed = length + line.messageLength();
            if (needed > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
            }
            System.arraycopy(line.buffer(), line.messageOffset(), buffer, length, line.messageLength());
            length = needed;
            pieces++;
        }

        long startOffset() {
            return start;
        }

        void reset() {
            first = null;
            pieces = 0;
            length = 0;
            start = Long.MAX_VALUE;
            if (buffer.length > 64 * 1024) {
                buffer = new byte[1024];
            }
        }
    }
}

package io.logpipe.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    record Line(String text, long start, long end, LineCut cut) {
    }

    private final List<Line> lines = new ArrayList<>();
    private final TailHandler collect = (bytes, offset, length, start, end, cut) ->
            lines.add(new Line(new String(bytes, offset, length, StandardCharsets.UTF_8), start, end, cut));

    private void feed(LineReader reader, String... chunks) throws Exception {
        long offset = 0;
        for (String chunk : chunks) {
            byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
            reader.feed(bytes, 0, bytes.length, offset, collect);
            offset += bytes.length;
        }
    }

    @Test
    void findsTheFirstNewlineAtEveryPositionAndNoneWhereThereIsNone() {
        // the search goes eight bytes a step: each position of the word and of the tail, and
        // bytes that differ from a newline in one or two bits (0x0B, 0x8A, 0x8B) must not match
        for (int length = 0; length <= 20; length++) {
            for (int at = 0; at < length; at++) {
                byte[] bytes = new byte[length + 3];
                java.util.Arrays.fill(bytes, (byte) 0x0B);
                bytes[0] = (byte) 0x8A;
                bytes[at + 1] = '\n';
                bytes[length] = '\n'; // a later newline does not hide the first
                assertThat(LineReader.indexOf(bytes, 1, length + 1)).as("newline at %d of %d", at, length).isEqualTo(at + 1);
            }
            byte[] none = new byte[length + 1];
            java.util.Arrays.fill(none, (byte) 0x8B);
            none[length] = '\n'; // just past the range
            assertThat(LineReader.indexOf(none, 0, length)).as("no newline in %d", length).isEqualTo(-1);
        }
    }

    @Test
    void givesLinesWithTheirOffsetsAcrossChunksAndDropsCr() throws Exception {
        feed(new LineReader(100, LongLines.SPLIT), "ab\r\ncd", "e\nf", "g\n", "tail-without-newline");
        assertThat(lines).containsExactly(
                new Line("ab", 0, 4, LineCut.WHOLE), new Line("cde", 4, 8, LineCut.WHOLE), new Line("fg", 8, 11, LineCut.WHOLE));
    }

    @Test
    void splitsALongLineIntoPiecesWhoseOffsetsChain() throws Exception {
        feed(new LineReader(4, LongLines.SPLIT), "0123456789\nok\n");
        assertThat(lines).containsExactly(
                new Line("0123", 0, 4, LineCut.SPLIT_FIRST), new Line("4567", 4, 8, LineCut.SPLIT_MORE),
                new Line("89", 8, 11, LineCut.SPLIT_MORE), new Line("ok", 11, 14, LineCut.WHOLE));
    }

    @Test
    void truncatesALongLineAndCheckpointsAfterAllOfIt() throws Exception {
        LineReader reader = new LineReader(4, LongLines.TRUNCATE);
        feed(reader, "0123456", "789\nok\n");
        assertThat(lines).containsExactly(new Line("0123", 0, 11, LineCut.TRUNCATED), new Line("ok", 11, 14, LineCut.WHOLE));
    }
}

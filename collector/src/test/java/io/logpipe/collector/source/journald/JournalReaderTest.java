package io.logpipe.collector.source.journald;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.logpipe.collector.tail.LineCut;
import io.logpipe.collector.tail.LongLines;
import io.logpipe.record.LineText;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * journalctl's JSON output read entry by entry with MESSAGE in pieces of at most the limit: a
 * 1 MB MESSAGE read with a 1 KiB limit comes out as 1 KiB pieces, never as one value.
 */
class JournalReaderTest {
    private static final int KIB = 1024;

    @TempDir
    Path tmp;

    private record Piece(LineText text, LineCut cut, boolean last) {
    }

    @Test
    void aMegabyteMessageComesOutInPiecesOfTheLimitWhateverTheFieldOrderAndTheNextEntryWhole() throws Exception {
        StringBuilder message = new StringBuilder();
        for (int i = 0; message.length() < 1_000_000; i++) {
            message.append("line ").append(i).append(" é€😀 ");  // 2-, 3- and 4-byte characters on the cuts
        }
        // journalctl prints fields in no fixed order: MESSAGE before the cursor and the unit
        String output = "{\"MESSAGE\":" + quoted(message.toString()) + ",\"__CURSOR\":\"c1\",\"_SYSTEMD_UNIT\":\"ollama.service\","
                + "\"__REALTIME_TIMESTAMP\":\"1700000000000001\",\"PRIORITY\":\"6\"}\n"
                + entry("c2", "1700000000000002", "\"after\"") + "\n";
        Path spill = tmp.resolve("journald.spill");
        JournalReader reader = reader(output, LongLines.SPLIT, spill);

        JournalEntry big = reader.next();
        assertThat(big.cursor()).isEqualTo("c1");
        assertThat(big.timestampNanos()).isEqualTo(1_700_000_000_000_001_000L);
        assertThat(big.attributes()).containsEntry("unit", "ollama.service").containsEntry("priority", "6");
        List<Piece> pieces = pieces(big);
        byte[] whole = message.toString().getBytes(StandardCharsets.UTF_8);
        assertThat(pieces.size()).isBetween(whole.length / KIB + 1, whole.length / (KIB - 3) + 1);
        assertThat(pieces.get(0).cut()).isEqualTo(LineCut.SPLIT_FIRST);
        assertThat(pieces.subList(1, pieces.size())).allMatch(p -> p.cut() == LineCut.SPLIT_MORE);
        assertThat(pieces).filteredOn(Piece::last).containsExactly(pieces.get(pieces.size() - 1));
        // cut between characters: every piece is valid text of at most 1 KiB, full up to the last character that fits
        assertThat(pieces).allMatch(p -> p.text().valid());
        assertThat(pieces).allMatch(p -> utf8Length(p) <= KIB);
        assertThat(pieces.subList(0, pieces.size() - 1)).allMatch(p -> utf8Length(p) > KIB - 4);
        assertThat(pieces.stream().map(p -> p.text().text()).reduce("", String::concat)).isEqualTo(message.toString());
        big.close();
        assertThat(spill).doesNotExist();

        JournalEntry after = reader.next();
        assertThat(pieces(after)).extracting(p -> p.text().text(), Piece::cut).containsExactly(tuple("after", LineCut.WHOLE));
        assertThat(reader.next()).isNull();
    }

    @Test
    void aBinaryMessageKeepsItsBytesAcrossPiecesAndIsNotCutInsideAUtf8Sequence() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; bytes.size() < 1_000_000; i++) {
            bytes.writeBytes(("GPU " + i + " é ").getBytes(StandardCharsets.UTF_8));
            bytes.write(0xff); // not UTF-8: journalctl prints the field as an array of numbers
            bytes.write(i % 7 == 0 ? 0xc3 : ' '); // sometimes the start of a sequence that never ends
        }
        byte[] original = bytes.toByteArray();
        StringJoiner numbers = new StringJoiner(",", "[", "]");
        for (byte b : original) {
            numbers.add(Integer.toString(b & 0xff));
        }
        JournalReader reader = reader(entry("c1", "1700000000000001", numbers.toString()) + "\n", LongLines.SPLIT, tmp.resolve("s"));

        JournalEntry entry = reader.next();
        assertThat(entry.hadBinary()).isTrue();
        List<Piece> pieces = pieces(entry);
        assertThat(pieces).hasSizeGreaterThan(original.length / KIB);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Piece piece : pieces) {
            byte[] own = piece.text().originalBytes();
            assertThat(own.length).isLessThanOrEqualTo(KIB);
            joined.writeBytes(own);
            // no valid character was cut in two: the text has one U+FFFD for each 0xff and each lone 0xc3, no more
            long bad = piece.text().text().chars().filter(c -> c == 0xfffd).count();
            long expected = 0;
            for (int i = 0; i < own.length; i++) {
                expected += (own[i] & 0xff) == 0xff || (own[i] & 0xff) == 0xc3 && (i + 1 == own.length || (own[i + 1] & 0xc0) != 0x80) ? 1 : 0;
            }
            assertThat(bad).isEqualTo(expected);
            assertThat(piece.text().valid()).isFalse();
        }
        assertThat(joined.toByteArray()).isEqualTo(original);
    }

    @Test
    void truncatingKeepsTheFirstPieceFlaggedAndSkipsTheRest() throws Exception {
        JournalReader reader = reader(entry("c1", "1", quoted("x".repeat(100_000))) + "\n" + entry("c2", "2", "\"next\"") + "\n",
                LongLines.TRUNCATE, tmp.resolve("s"));
        List<Piece> pieces = pieces(reader.next());
        assertThat(pieces).hasSize(1);
        assertThat(pieces.get(0).cut()).isEqualTo(LineCut.TRUNCATED);
        assertThat(pieces.get(0).text().text()).isEqualTo("x".repeat(KIB));
        assertThat(pieces(reader.next()).get(0).text().text()).isEqualTo("next");
        assertThat(tmp.resolve("s")).doesNotExist();
    }

    @Test
    void escapesRepeatedFieldsNullsAndUnknownFieldsAreReadAsJournalctlMeansThem() throws Exception {
        String output = "{\"__CURSOR\":\"c1\",\"__REALTIME_TIMESTAMP\":\"5\",\"_X\":{\"a\":[1,{\"b\":null}],\"c\":true},"
                + "\"MESSAGE\":[\"one \\\"q\\\" \\\\ \\u00e9 \\ud83d\\ude00\\ttab\",[71,80,85,255]],\"_PID\":null,"
                + "\"SYSLOG_IDENTIFIER\":[\"a\",\"b\"],\"_BIG\":" + quoted("y".repeat(100_000)) + ",\"_COMM\":[111,107]}\n";
        JournalEntry entry = reader(output, LongLines.SPLIT, tmp.resolve("s")).next();
        assertThat(entry.message().text().text()).isEqualTo("one \"q\" \\ é 😀\ttab\nGPU\ufffd");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.writeBytes("one \"q\" \\ é 😀\ttab\nGPU".getBytes(StandardCharsets.UTF_8));
        raw.write(255);
        assertThat(entry.message().text().originalBytes()).isEqualTo(raw.toByteArray());
        assertThat(entry.attributes()).containsEntry("syslog_identifier", "a\nb").containsEntry("comm", "ok").doesNotContainKey("pid");
        assertThat(entry.hadBinary()).isTrue();
        assertThat(entry.unitOrIdentifier()).isEqualTo("a\nb");
    }

    @Test
    void aMalformedEntryThrowsAndReadingGoesOnWithTheNextLine() throws Exception {
        String output = "not json at all\n"
                + "{\"__REALTIME_TIMESTAMP\":\"1\",\"MESSAGE\":\"no cursor\"}\n"
                + "{\"__CURSOR\":\"c0\",\"MESSAGE\":\"cut off in the midd\n"
                + "{\"__CURSOR\":\"c1\",\"__REALTIME_TIMESTAMP\":\"x1\",\"MESSAGE\":\"bad time\"}\n"
                + entry("c2", "2", quoted("fine")) + "\n"
                + "{\"__CURSOR\":\"c3\",\"__REALTIME_TIMESTAMP\":\"3\",\"MESSAGE\":\"the stream ends insi";
        JournalReader reader = reader(output, LongLines.SPLIT, tmp.resolve("s"));
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(reader::next).isInstanceOf(MalformedEntryException.class);
        }
        assertThat(reader.next().message().text().text()).isEqualTo("fine");
        assertThatThrownBy(reader::next).isInstanceOf(MalformedEntryException.class);
        assertThat(reader.next()).isNull();
    }

    private JournalReader reader(String output, LongLines longLines, Path spill) {
        return new JournalReader(new ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)), KIB, longLines, spill);
    }

    private static String entry(String cursor, String realtime, String messageJson) {
        return "{\"__CURSOR\":\"" + cursor + "\",\"__REALTIME_TIMESTAMP\":\"" + realtime + "\",\"_SYSTEMD_UNIT\":\"x.service\","
                + "\"MESSAGE\":" + messageJson + "}";
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static List<Piece> pieces(JournalEntry entry) throws Exception {
        List<Piece> pieces = new ArrayList<>();
        entry.message().forEach((text, cut, last) -> pieces.add(new Piece(text, cut, last)));
        entry.close();
        return pieces;
    }

    private static int utf8Length(Piece piece) {
        return piece.text().originalBytes().length;
    }
}

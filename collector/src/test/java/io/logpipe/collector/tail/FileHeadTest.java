package io.logpipe.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileHeadTest {
    private static final FileIdentity ID = new FileIdentity(1, 2);

    @TempDir
    Path dir;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The position {@code offset} bytes into {@code content}, as the reading of it from the start would make it. */
    private static FilePosition readUpTo(String content, long offset) {
        FileHead head = FileHead.empty(ID);
        byte[] bytes = bytes(content);
        head.saw(bytes, 0, bytes.length, 0);
        return head.position(offset);
    }

    @Test
    void fingerprintsOnlyTheBytesBeforeThePositionAndAtMostSize() {
        String line = "2026-11-25T10:00:00Z a line of some length\n";
        String content = line.repeat(100);
        assertThat(readUpTo(content, 0).fingerprint().length()).isZero();
        assertThat(readUpTo(content, line.length()).fingerprint())
                .isEqualTo(Fingerprint.of(bytes(line), line.length()))
                .isEqualTo(readUpTo(line + "another\n", line.length()).fingerprint());
        assertThat(readUpTo(content, content.length()).fingerprint())
                .isEqualTo(readUpTo(content.substring(0, FileHead.SIZE), FileHead.SIZE).fingerprint())
                .extracting(Fingerprint::length).isEqualTo(FileHead.SIZE);
    }

    @Test
    void takesUpAPositionOnlyWhileTheFileStartsWithWhatItWasFingerprintedOn() throws Exception {
        Path file = dir.resolve("app.log");
        Files.writeString(file, "one\ntwo\n");
        FilePosition saved = readUpTo("one\ntwo\n", 8);

        Files.writeString(file, "three\n", StandardOpenOption.APPEND); // grown: the 8 bytes are compared, not more
        assertThat(FileHead.read(file, ID, saved.offset()).mismatch(saved)).isEmpty();

        Files.writeString(file, "ONE\ntwo\nthree\n"); // rewritten in place, longer than the offset
        assertThat(FileHead.read(file, ID, saved.offset()).mismatch(saved)).get().asString().contains("not those");

        Files.writeString(file, "one\n"); // truncated
        assertThat(FileHead.read(file, ID, saved.offset()).mismatch(saved)).get().asString().contains("shorter");

        FilePosition older = new FilePosition(ID, 8, null); // written before fingerprints: taken as it is
        assertThat(FileHead.read(file, ID, older.offset()).mismatch(older)).isEmpty();
    }

    @Test
    void aHeadReadAtAPositionGoesOnFillingAsTheFileIsReadFurther() throws Exception {
        Path file = dir.resolve("app.log");
        String first = "short\n";
        String rest = "x".repeat(2000) + "\n";
        Files.writeString(file, first + rest);
        FileHead head = FileHead.read(file, ID, first.length());
        head.saw(bytes(rest), 0, rest.length(), first.length());
        assertThat(head.position(first.length() + rest.length())).isEqualTo(readUpTo(first + rest, first.length() + rest.length()));
    }

    @Test
    void tellsWhenTheOpenFileNoLongerStartsWithTheBytesFirstReadFromIt() throws Exception {
        Path file = dir.resolve("app.log");
        Files.writeString(file, "one\ntwo\n");
        FileHead head = FileHead.read(file, ID, 8);
        ByteBuffer scratch = ByteBuffer.allocate(FileHead.SIZE);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Files.writeString(file, "three\n", StandardOpenOption.APPEND);
            assertThat(head.changedIn(channel, scratch)).isEmpty();

            Files.writeString(file, "ONE\ntwo\nthree\nfour\n"); // truncated and written past the offset again
            assertThat(head.changedIn(channel, scratch)).get().asString().contains("no longer");

            Files.writeString(file, "one\n");
            assertThat(head.changedIn(channel, scratch)).get().asString().contains("shorter");
        }
        assertThat(FileHead.empty(ID).changedIn(null, scratch)).as("nothing read yet: nothing to compare").isEmpty();
    }
}

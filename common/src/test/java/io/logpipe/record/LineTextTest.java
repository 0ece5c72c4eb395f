package io.logpipe.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Where a line may be cut so that both pieces keep their characters whole. */
class LineTextTest {
    private static final byte[] TEXT = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1, 2, 3 and 4 bytes

    @Test
    void aCutBetweenCharactersMovesNothing() {
        for (int end : new int[] {1, 3, 6, 10}) {
            assertThat(LineText.incompleteUtf8Tail(TEXT, 0, end)).as("cut at %d", end).isZero();
        }
    }

    @Test
    void aCutInsideACharacterMovesItsFirstBytesToTheNextPiece() {
        assertThat(LineText.incompleteUtf8Tail(TEXT, 0, 2)).isEqualTo(1); // é's lead byte
        assertThat(LineText.incompleteUtf8Tail(TEXT, 0, 4)).isEqualTo(1); // € after its lead byte
        assertThat(LineText.incompleteUtf8Tail(TEXT, 0, 5)).isEqualTo(2);
        assertThat(LineText.incompleteUtf8Tail(TEXT, 0, 7)).isEqualTo(1); // 😀
        assertThat(LineText.incompleteUtf8Tail(TEXT, 0, 9)).isEqualTo(3);
    }

    @Test
    void looksNoFurtherBackThanFromNorInsideBytesThatAreNotUtf8() {
        assertThat(LineText.incompleteUtf8Tail(TEXT, 8, 9)).isZero(); // only a continuation byte in range
        assertThat(LineText.incompleteUtf8Tail(new byte[] {'a', (byte) 0x80, (byte) 0x80, (byte) 0x80}, 0, 4)).isZero();
        assertThat(LineText.incompleteUtf8Tail(new byte[] {'a', (byte) 0xff}, 0, 2)).isZero();
    }
}

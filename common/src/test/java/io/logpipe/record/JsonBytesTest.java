package io.logpipe.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBytesTest {

    @Test
    void aPlainRunEndsAtTheFirstQuoteBackslashControlOrNonAsciiByte() {
        String plain = "abc def/ghi~{}[]:,0123456789\u007f";
        for (String stop : new String[] {"\"", "\\", "\n", "\u0001", "\u001f", "\u00e9"}) {
            for (int at = 0; at <= plain.length(); at++) {
                // each stop at every position, so that it falls in the eight-byte steps and in the tail
                byte[] bytes = (plain.substring(0, at) + stop + plain.substring(at)).getBytes(StandardCharsets.UTF_8);
                assertThat(JsonBytes.plainRun(bytes, 0)).as("%s at %d", stop, at).isEqualTo(at);
            }
        }
    }

    @Test
    void aRunWithoutAStopEndsAtTheEnd() {
        byte[] bytes = "x".repeat(37).getBytes(StandardCharsets.US_ASCII);
        assertThat(JsonBytes.plainRun(bytes, 0)).isEqualTo(37);
        assertThat(JsonBytes.plainRun(bytes, 30)).isEqualTo(37);
        assertThat(JsonBytes.plainRun(bytes, 37)).isEqualTo(37);
        assertThat(JsonBytes.plainRun(bytes, 3, 20)).isEqualTo(20);
        bytes[12] = '"';
        assertThat(JsonBytes.plainRun(bytes, 3, 20)).isEqualTo(12);
        assertThat(JsonBytes.plainRun(bytes, 3, 11)).isEqualTo(11);
    }

    @Test
    void equalRangesHashEquallyWhereverTheyStand() {
        byte[] one = "--{\"pod\":\"n8n-0\",\"namespace\":\"homelab\"}".getBytes(StandardCharsets.UTF_8);
        byte[] other = "{\"pod\":\"n8n-0\",\"namespace\":\"homelab\"}++++".getBytes(StandardCharsets.UTF_8);
        byte[] different = "{\"pod\":\"n8n-1\",\"namespace\":\"homelab\"}".getBytes(StandardCharsets.UTF_8);
        int length = other.length - 4;

        assertThat(JsonBytes.hash(one, 2, one.length)).isEqualTo(JsonBytes.hash(other, 0, length));
        assertThat(JsonBytes.hash(different, 0, different.length)).isNotEqualTo(JsonBytes.hash(other, 0, length));
    }
}

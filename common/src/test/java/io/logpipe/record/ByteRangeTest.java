package io.logpipe.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void theSameBytesAreTheSameKeyWhereverTheyLie() {
        byte[] value = "--{\"job\":\"syslog\"}--".getBytes(StandardCharsets.UTF_8);
        byte[] other = "{\"job\":\"syslog\"}".getBytes(StandardCharsets.UTF_8);
        ByteRange inValue = new ByteRange(value, 2, value.length - 2);

        Map<ByteRange, String> table = new HashMap<>();
        table.put(inValue.copy(), "found");

        assertThat(table.get(new ByteRange(other, 0, other.length))).isEqualTo("found");
        assertThat(table.get(new ByteRange(value, 2, value.length - 3))).isNull();
    }

    @Test
    void aCopyOwnsItsBytes() {
        byte[] value = "ab{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_8);
        ByteRange range = new ByteRange(value, 2, value.length);
        ByteRange copy = range.copy();

        assertThat(range.liesIn(value)).isTrue();
        assertThat(copy.liesIn(value)).isFalse();
        assertThat(new String(copy.bytes(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"b\"}");
        value[3] = 'X'; // the record's buffer changes: the copy does not
        assertThat(copy).isNotEqualTo(range);
    }
}

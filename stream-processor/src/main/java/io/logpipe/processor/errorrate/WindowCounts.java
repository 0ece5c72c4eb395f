package io.logpipe.processor.errorrate;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The aggregate of one error-rate window: lines, and lines at error or fatal, summed from the
 * tasks' {@link PartialCounts}. Stored as 16
 * bytes in the window store and its changelog.
 */
public record WindowCounts(long lines, long errors) {
    public static final WindowCounts ZERO = new WindowCounts(0, 0);

    public WindowCounts plus(PartialCounts partial) {
        return new WindowCounts(lines + partial.lines(), errors + partial.errors());
    }

    public static Serde<WindowCounts> serde() {
        Serializer<WindowCounts> serializer = (topic, counts) -> counts == null ? null
                : ByteBuffer.allocate(16).putLong(counts.lines).putLong(counts.errors).array();
        Deserializer<WindowCounts> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new WindowCounts(buffer.getLong(), buffer.getLong());
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

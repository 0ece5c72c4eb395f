package io.logpipe.processor.errorrate;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Lines of one rate group and one window counted by one task since its last flush.
 *
 * @param lines lines counted
 * @param errors of which error or fatal
 * @param newestMillis the newest event time among them: the partial's timestamp downstream, so
 *                     that it falls in the right window and moves stream time as the lines would
 */
public record PartialCounts(long lines, long errors, long newestMillis) {

    public PartialCounts plus(PartialCounts other) {
        return new PartialCounts(lines + other.lines, errors + other.errors, Math.max(newestMillis, other.newestMillis));
    }

    public static Serde<PartialCounts> serde() {
        Serializer<PartialCounts> serializer = (topic, counts) -> counts == null ? null
                : ByteBuffer.allocate(24).putLong(counts.lines).putLong(counts.errors).putLong(counts.newestMillis).array();
        Deserializer<PartialCounts> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new PartialCounts(buffer.getLong(), buffer.getLong(), buffer.getLong());
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

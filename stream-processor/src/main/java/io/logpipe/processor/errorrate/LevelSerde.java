package io.logpipe.processor.errorrate;

import io.logpipe.record.Level;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A level as one byte: all the error-rate repartition topic needs to carry per line, so that
 * re-keying by rate group costs little next to the enriched record itself.
 */
public final class LevelSerde {
    private static final Level[] LEVELS = Level.values();

    private LevelSerde() {
    }

    public static Serde<Level> serde() {
        Serializer<Level> serializer = (topic, level) -> level == null ? null : new byte[] {(byte) level.ordinal()};
        Deserializer<Level> deserializer = (topic, bytes) -> bytes == null || bytes.length != 1 || bytes[0] < 0
                || bytes[0] >= LEVELS.length ? null : LEVELS[bytes[0]];
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

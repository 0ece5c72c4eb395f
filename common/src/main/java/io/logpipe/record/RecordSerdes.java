package io.logpipe.record;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka serdes over {@link RecordCodec}. Deserializers throw {@link RecordFormatException} on a bad value. */
public final class RecordSerdes {
    private RecordSerdes() {
    }

    public static Serde<RawRecord> raw() {
        Serializer<RawRecord> serializer = (topic, record) -> record == null ? null : RecordCodec.encode(record);
        Deserializer<RawRecord> deserializer = (topic, bytes) -> bytes == null ? null : RecordCodec.decodeRaw(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    public static Serde<EnrichedRecord> enriched() {
        Serializer<EnrichedRecord> serializer = (topic, record) -> record == null ? null : RecordCodec.encode(record);
        Deserializer<EnrichedRecord> deserializer = (topic, bytes) -> bytes == null ? null : RecordCodec.decodeEnriched(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}

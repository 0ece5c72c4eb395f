package io.logpipe.collector.publish;

import static io.logpipe.config.ConfigException.require;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.logpipe.config.ByteSize;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code producer:} block.
 *
 * @param compression {@code lz4} (default: cheapest CPU) or {@code zstd} (smaller)
 * @param maxInFlight the most record bytes sent but not yet acknowledged; when Kafka is down
 *                    the sources block once this much is waiting, so memory stays bounded
 * @param batchSize Kafka {@code batch.size}
 * @param linger Kafka {@code linger.ms}
 * @param maxRecordSize the largest record value sent; a larger record goes as several, its line in
 *                      parts flagged {@code split}. Default 1000000, under Kafka's default {@code message.max.bytes}
 */
public record ProducerConfig(Compression compression, ByteSize maxInFlight, ByteSize batchSize, Duration linger,
                             ByteSize maxRecordSize) {

    public static final ProducerConfig DEFAULTS = new ProducerConfig(null, null, null, null, null);

    private static final String DELIVERY = "the collector's delivery (every record acknowledged by all replicas, "
            + "once, never given up on) rests on it";

    /**
     * The Kafka producer properties the collector sets itself ({@link RecordPublisher}): its
     * delivery rests on them or a key of this block decides them. {@code kafka.properties} may not
     * set them, rather than being silently overridden.
     */
    public static final Map<String, String> SET_BY_THE_COLLECTOR = Map.of(
            "acks", DELIVERY,
            "enable.idempotence", DELIVERY,
            "max.in.flight.requests.per.connection", DELIVERY,
            "delivery.timeout.ms", DELIVERY,
            "compression.type", "use producer.compression",
            "batch.size", "use producer.batch_size",
            "linger.ms", "use producer.linger",
            "max.request.size", "it follows producer.max_record_size",
            "buffer.memory", "it follows producer.max_in_flight");

    public enum Compression {
        LZ4, ZSTD, GZIP, SNAPPY, NONE;

        /** The name Kafka's {@code compression.type} and the YAML file use. */
        @JsonValue
        public String kafkaName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Compression of(String name) {
            for (Compression c : values()) {
                if (c.kafkaName().equalsIgnoreCase(name)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown compression '" + name + "' (allowed: lz4, zstd, gzip, snappy, none)");
        }
    }

    public ProducerConfig {
        compression = compression == null ? Compression.LZ4 : compression;
        maxInFlight = maxInFlight == null ? ByteSize.parse("4MiB") : maxInFlight;
        batchSize = batchSize == null ? ByteSize.parse("128KiB") : batchSize;
        linger = linger == null ? Duration.ofMillis(20) : linger;
        maxRecordSize = maxRecordSize == null ? ByteSize.ofBytes(1_000_000) : maxRecordSize;
        require(maxRecordSize.bytes() >= 4096 && maxRecordSize.bytes() <= 64L * 1024 * 1024, "max_record_size",
                "must be between 4KiB and 64MiB");
        require(maxInFlight.bytes() >= 64 * 1024, "max_in_flight", "must be at least 64KiB");
        require(batchSize.bytes() >= 1024 && batchSize.bytes() <= maxInFlight.bytes(), "batch_size",
                "must be between 1KiB and max_in_flight");
        require(!linger.isNegative(), "linger", "cannot be negative");
    }
}

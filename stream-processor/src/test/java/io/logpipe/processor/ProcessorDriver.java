package io.logpipe.processor;

import io.logpipe.processor.errorrate.ErrorRateWindow;
import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.RecordSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The processor's real topology and properties in a {@link TopologyTestDriver}, with its topics at hand. */
final class ProcessorDriver implements AutoCloseable {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final StreamProcessor processor;
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> raw;
    final TestOutputTopic<String, EnrichedRecord> enriched;
    final TestOutputTopic<byte[], byte[]> dlq;
    final TestOutputTopic<String, ErrorRateWindow> errorRates;

    ProcessorDriver(ProcessorConfig config, Path stateDir) {
        processor = new StreamProcessor(config, registry);
        Properties props = processor.streamsProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // The driver only publishes a transaction's output when a record was processed, so under
        // exactly-once a dead letter alone would stay invisible here; exactly-once itself is
        // tested on the real broker (StreamProcessorIT).
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        driver = new TopologyTestDriver(processor.topology(), props);
        raw = driver.createInputTopic(config.topics().raw(), new ByteArraySerializer(), new ByteArraySerializer());
        enriched = driver.createOutputTopic(config.topics().enriched(), new StringDeserializer(), RecordSerdes.enriched().deserializer());
        dlq = driver.createOutputTopic(config.topics().dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        errorRates = driver.createOutputTopic(config.topics().errorRates(), new StringDeserializer(), ErrorRateWindow.serde().deserializer());
    }

    ProcessorDriver(Path stateDir) {
        this(ProcessorConfig.defaults("localhost:9092"), stateDir);
    }

    /** Sends one raw record, then lets the flush interval pass, so that its line reaches the windows on its own. */
    void send(RawRecord record) {
        sendBetweenFlushes(record);
        flush();
    }

    /** Sends one raw record; its line is counted in the task's partial counts until the next {@link #flush()}. */
    void sendBetweenFlushes(RawRecord record) {
        raw.pipeInput(new TestRecord<>(record.source().getBytes(StandardCharsets.UTF_8), RecordCodec.encode(record),
                Instant.ofEpochMilli(record.timestampNanos() / 1_000_000L)));
    }

    /** Lets the flush interval pass: partial counts go to the windows. */
    void flush() {
        driver.advanceWallClockTime(processor.flushInterval());
    }

    /** Sends one raw record and returns what the processor wrote to logs.enriched for it. */
    TestRecord<String, EnrichedRecord> enrich(RawRecord record) {
        send(record);
        List<TestRecord<String, EnrichedRecord>> out = enriched.readRecordsToList();
        if (out.size() != 1) {
            throw new AssertionError("expected one enriched record, got " + out.size());
        }
        return out.get(0);
    }

    @Override
    public void close() {
        driver.close();
    }
}

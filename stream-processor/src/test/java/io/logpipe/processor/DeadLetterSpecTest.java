package io.logpipe.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.processor.deadletter.DeadLetterHandler;
import io.logpipe.record.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records the processor cannot read go to logs.dlq as received, with the reason; processing goes on. */
class DeadLetterSpecTest {
    @TempDir
    Path stateDir;
    ProcessorDriver processor;

    @BeforeEach
    void start() {
        processor = new ProcessorDriver(stateDir);
    }

    @AfterEach
    void stop() {
        processor.close();
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private TestRecord<byte[], byte[]> sendBad(String key, byte[] value) {
        Headers headers = new RecordHeaders().add("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8));
        processor.raw.pipeInput(new TestRecord<>(key.getBytes(StandardCharsets.UTF_8), value, headers, RawRecords.T0));
        List<TestRecord<byte[], byte[]>> dead = processor.dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        return dead.get(0);
    }

    @Test
    void aValueThatIsNotJsonIsDeadLetteredAsReceivedWithItsReason() {
        byte[] value = "not json at all".getBytes(StandardCharsets.UTF_8);
        TestRecord<byte[], byte[]> dead = sendBad("host/var/log/x", value);

        assertThat(dead.key()).isEqualTo("host/var/log/x".getBytes(StandardCharsets.UTF_8));
        assertThat(dead.value()).isEqualTo(value);
        assertThat(header(dead.headers(), DeadLetterHandler.HEADER_STAGE)).isEqualTo("stream-processor");
        assertThat(header(dead.headers(), DeadLetterHandler.HEADER_REASON)).startsWith("not a logpipe record: invalid JSON");
        assertThat(header(dead.headers(), DeadLetterHandler.HEADER_SOURCE_TOPIC)).isEqualTo("logs.raw");
        assertThat(header(dead.headers(), DeadLetterHandler.HEADER_SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead.headers(), DeadLetterHandler.HEADER_SOURCE_OFFSET)).isEqualTo("0");
        assertThat(header(dead.headers(), "traceparent")).isEqualTo("00-abc");
        assertThat(processor.registry.get("logpipe_processor_dead_letters").tag("reason", "undecodable").counter().count()).isEqualTo(1.0);
    }

    @Test
    void anotherFormatVersionIsDeadLetteredNamingTheVersion() {
        byte[] fromTheFuture = "{\"v\":2,\"ts\":1,\"kind\":\"pod\",\"source\":\"s\",\"line\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        TestRecord<byte[], byte[]> dead = sendBad("s", fromTheFuture);

        assertThat(header(dead.headers(), DeadLetterHandler.HEADER_REASON))
                .isEqualTo("unsupported record format version 2 (this build reads version 1)");
        assertThat(processor.registry.get("logpipe_processor_dead_letters").tag("reason", "unsupported_version").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void aRecordMissingARequiredFieldIsDeadLettered() {
        TestRecord<byte[], byte[]> dead = sendBad("s", "{\"v\":1,\"ts\":1,\"kind\":\"pod\",\"source\":\"s\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(header(dead.headers(), DeadLetterHandler.HEADER_REASON)).contains("line");
    }

    @Test
    void anEmptyValueIsDeadLettered() {
        TestRecord<byte[], byte[]> dead = sendBad("s", new byte[0]);
        assertThat(header(dead.headers(), DeadLetterHandler.HEADER_REASON)).isEqualTo("empty value: not a logpipe record");
    }

    @Test
    void processingGoesOnAfterABadRecord() {
        sendBad("s", "garbage".getBytes(StandardCharsets.UTF_8));
        processor.send(RawRecords.pod("n8n", "[INFO] fine"));
        sendBad("s", "{\"v\":9}".getBytes(StandardCharsets.UTF_8));
        processor.send(RawRecords.pod("n8n", "[ERROR] still fine"));

        assertThat(processor.enriched.readValuesToList()).extracting(r -> r.line()).containsExactly("[INFO] fine", "[ERROR] still fine");
        assertThat(RecordCodec.FORMAT_VERSION).isEqualTo(1);
    }
}

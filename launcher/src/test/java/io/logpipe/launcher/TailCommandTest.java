package io.logpipe.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.record.EnrichedRecord;
import io.logpipe.record.Level;
import io.logpipe.record.LineText;
import io.logpipe.record.RawRecord;
import io.logpipe.record.RecordCodec;
import io.logpipe.record.SourceKind;
import io.logpipe.testkit.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

class TailCommandTest {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension(1);

    private static final long TS = 1_764_064_800_000_000_000L;
    private static String enrichedTopic;
    private static String rawTopic;

    @BeforeAll
    static void produce() {
        enrichedTopic = KAFKA.newTopic("enriched", 1);
        rawTopic = KAFKA.newTopic("raw", 1);
        KAFKA.send(enrichedTopic, List.of(
                enriched(Map.of("namespace", "homelab", "pod", "n8n-0"), Level.ERROR, "workflow timeout after 30s"),
                enriched(Map.of("namespace", "homelab", "pod", "redis-0"), Level.WARN, "slow command timeout"),
                enriched(Map.of("namespace", "homelab", "pod", "n8n-0"), Level.INFO, "workflow started"),
                enriched(Map.of("namespace", "kube-system", "pod", "coredns-0"), Level.ERROR, "dns timeout"),
                new ProducerRecord<>(enrichedTopic, null, "this is not json".getBytes(StandardCharsets.UTF_8))));
        RawRecord raw = RawRecord.of(TS, SourceKind.JOURNALD, "pesubuntu/ollama.service",
                LineText.decode("model loaded".getBytes(StandardCharsets.UTF_8)),
                Map.of("unit", "ollama.service"), Map.of("job", "systemd-journal", "host", "pesubuntu"), Set.of());
        KAFKA.send(rawTopic, List.of(new ProducerRecord<>(rawTopic, null, RecordCodec.encode(raw))));
    }

    private static ProducerRecord<byte[], byte[]> enriched(Map<String, String> labels, Level level, String line) {
        EnrichedRecord record = new EnrichedRecord(1, TS, labels, level, line, null, null, "src", null);
        return new ProducerRecord<>(enrichedTopic, record.stream().canonical().getBytes(StandardCharsets.UTF_8), RecordCodec.encode(record));
    }

    private static Run tail(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Logpipe.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] full = new String[args.length + 5];
        full[0] = "tail";
        full[1] = "-b";
        full[2] = KAFKA.bootstrapServers();
        full[3] = "--from-beginning";
        full[4] = "--exit";
        System.arraycopy(args, 0, full, 5, args.length);
        int code = cli.execute(full);
        return new Run(code, out.toString(), err.toString());
    }

    record Run(int code, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    @Test
    void selectorAndLineFilterChooseTheRecords() {
        Run run = tail("-t", enrichedTopic, "{namespace=\"homelab\", level=~\"error|warn\"} |= \"timeout\"");

        assertThat(run.code()).isZero();
        assertThat(run.lines()).hasSize(2);
        assertThat(run.lines().get(0)).contains("ERROR").contains("{namespace=\"homelab\", pod=\"n8n-0\"}")
                .endsWith("workflow timeout after 30s").startsWith("2025-11-25T10:00:00Z");
        assertThat(run.lines().get(1)).contains("WARN").endsWith("slow command timeout");
    }

    @Test
    void withoutSelectorEveryRecordIsShownAndTheMalformedOneAsSuch() {
        Run run = tail("-t", enrichedTopic);

        assertThat(run.code()).isZero();
        assertThat(run.lines()).hasSize(5);
        assertThat(run.lines().get(4)).startsWith("MALFORMED partition 0 offset 4: not a logpipe record: invalid JSON")
                .endsWith("this is not json");
    }

    @Test
    void rawRecordsAreShownAndMatchTheirLabelsAndAttributes() {
        Run run = tail("-t", rawTopic, "{unit=\"ollama.service\", host=\"pesubuntu\"}");

        assertThat(run.lines()).singleElement().asString()
                .contains("raw").contains("journald pesubuntu/ollama.service").endsWith("model loaded");
    }

    @Test
    void maxStopsEarly() {
        assertThat(tail("-t", enrichedTopic, "-n", "1").lines()).hasSize(1);
    }

    @Test
    void badSelectorIsABadUsageExit() {
        Run run = tail("-t", enrichedTopic, "{namespace:\"homelab\"}");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("bad selector at column 11");
    }

    @Test
    void unknownTopicIsNamed() {
        Run run = tail("-t", "no-such-topic");

        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("topic 'no-such-topic' does not exist");
    }
}

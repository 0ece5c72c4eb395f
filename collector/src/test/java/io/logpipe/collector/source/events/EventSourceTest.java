package io.logpipe.collector.source.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.logpipe.collector.CollectorUnderTest;
import io.logpipe.record.RawRecord;
import io.logpipe.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Kubernetes events from a fake API server (fabric8's mock server in CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class EventSourceTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static KubernetesClient client;

    @TempDir
    Path tmp;

    @Test
    void shipsEventsAsLinesAndDoesNotResendThemAfterARestart() throws Exception {
        String topic = KAFKA.newTopic("raw", 3);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        create("n8n-5d8f-x2k9p.1", "Warning", "BackOff", "Back-off restarting failed container n8n", now.minusSeconds(30));
        create("postgres-0.1", "Normal", "Pulled", "Container image \"postgres:16\" already present", now.minusSeconds(20));
        String yaml = """
                %s
                kubernetes: {api_url: "%s", trust_certificates: true}
                sources:
                  events:
                    - name: kubernetes-events
                """.formatted(CollectorUnderTest.configHeader("asuna", KAFKA.bootstrapServers(), topic, tmp.resolve("state")), client.getMasterUrl());
        try (CollectorUnderTest collector = new CollectorUnderTest(yaml)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> collector.counter("logpipe.collector.records.sent") >= 2);
            create("qdrant-0.1", "Normal", "Started", "Started container qdrant", now.minusSeconds(10));
            await().atMost(Duration.ofSeconds(60)).until(() -> collector.counter("logpipe.collector.records.sent") >= 3);
        }
        create("redis-0.1", "Warning", "Unhealthy", "Readiness probe failed", now);
        try (CollectorUnderTest collector = new CollectorUnderTest(yaml)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> collector.counter("logpipe.collector.records.sent") >= 1);
        }

        List<RawRecord> records = CollectorUnderTest.read(KAFKA, topic, 4, Duration.ofSeconds(30));
        assertThat(records).hasSize(4);
        RawRecord backOff = records.stream().filter(r -> r.line().contains("BackOff")).findFirst().orElseThrow();
        assertThat(backOff.line()).isEqualTo("level=warn type=Warning reason=BackOff object=Pod/n8n-5d8f-x2k9p namespace=homelab"
                + " count=1 source=kubelet message=\"Back-off restarting failed container n8n\"");
        assertThat(backOff.labels()).isEqualTo(Map.of("job", "kubernetes-events"));
        assertThat(backOff.attributes()).containsEntry("namespace", "homelab").containsEntry("reason", "BackOff")
                .containsEntry("involved_kind", "Pod").containsEntry("involved_name", "n8n-5d8f-x2k9p").containsEntry("type", "Warning");
        assertThat(backOff.timestampNanos()).isEqualTo(now.minusSeconds(30).getEpochSecond() * 1_000_000_000L);
        assertThat(records).extracting(RawRecord::line).anyMatch(l -> l.contains("Readiness probe failed"));
    }

    private static void create(String name, String type, String reason, String message, Instant at) {
        String object = name.substring(0, name.lastIndexOf('.'));
        Event event = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace("homelab").withUid(UUID.randomUUID().toString()).endMetadata()
                .withType(type).withReason(reason).withMessage(message).withCount(1)
                .withNewInvolvedObject().withKind("Pod").withName(object).withNamespace("homelab").endInvolvedObject()
                .withNewSource().withComponent("kubelet").endSource()
                .withFirstTimestamp(at.toString()).withLastTimestamp(at.toString())
                .build();
        client.v1().events().inNamespace("homelab").resource(event).create();
    }
}

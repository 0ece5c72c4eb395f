package io.logpipe.collector.source.pod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.logpipe.collector.CollectorUnderTest;
import io.logpipe.record.RawRecord;
import io.logpipe.testkit.KafkaBrokerExtension;
import io.logpipe.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Pod labels from the Kubernetes API (fabric8 mock server), and path metadata only when the API is unreachable. */
@EnableKubernetesMockClient(crud = true)
class PodMetadataTest {
    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    static KubernetesClient client;

    @TempDir
    Path tmp;

    private String config(String topic, String apiUrl, String nodeName) {
        return """
                %s
                kubernetes: {api_url: "%s", trust_certificates: true, request_timeout: 2s}
                sources:
                  pods:
                    - paths: ["%s/*/*/*.log"]
                      node_name: "%s"
                      poll_interval: 50ms
                      scan_interval: 200ms
                """.formatted(CollectorUnderTest.configHeader("asuna", KAFKA.bootstrapServers(), topic, tmp.resolve("state")), apiUrl, tmp.resolve("pods"), nodeName);
    }

    @Test
    void addsThePodLabelsOfPodsOnThisNode() throws Exception {
        String uid = client.pods().inNamespace("homelab").resource(new PodBuilder()
                .withNewMetadata().withName("n8n-5d8f-x2k9p").withNamespace("homelab")
                .addToLabels("app.kubernetes.io/name", "n8n").addToLabels("pod-template-hash", "5d8f").endMetadata()
                .withNewSpec().withNodeName("asuna").endSpec().build()).create().getMetadata().getUid();
        String topic = KAFKA.newTopic("raw", 3);
        // no node_name: the mock server cannot filter pods by spec.nodeName (the real API server can)
        try (CollectorUnderTest collector = new CollectorUnderTest(config(topic, client.getMasterUrl().toString(), ""))) {
            // the informer syncs in the background; a line written after it is known carries the labels
            Path log = Files.createDirectories(tmp.resolve("pods/homelab_n8n-5d8f-x2k9p_" + uid + "/n8n")).resolve("0.log");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                Files.writeString(log, "2026-11-25T10:00:00Z stdout F workflow started\n",
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                return CollectorUnderTest.read(KAFKA, topic, 1, Duration.ofSeconds(1)).stream()
                        .anyMatch(r -> "n8n".equals(r.attributes().get("pod_label_app.kubernetes.io/name")));
            });
        }
        RawRecord labelled = CollectorUnderTest.read(KAFKA, topic, 1, Duration.ofSeconds(10)).stream()
                .filter(r -> r.attributes().containsKey("pod_label_app.kubernetes.io/name")).findFirst().orElseThrow();
        assertThat(labelled.attributes()).containsEntry("pod_label_pod-template-hash", "5d8f").containsEntry("node", "asuna")
                .containsEntry("namespace", "homelab").containsEntry("pod", "n8n-5d8f-x2k9p");
    }

    @Test
    void shipsWithPathMetadataWhenTheApiIsUnreachable() throws Exception {
        String topic = KAFKA.newTopic("raw", 3);
        Path log = Files.createDirectories(tmp.resolve("pods/homelab_redis-0_uid-redis/redis")).resolve("0.log");
        Files.writeString(log, "2026-11-25T10:00:00Z stdout F Ready to accept connections\n");
        try (CollectorUnderTest collector = new CollectorUnderTest(config(topic, "https://127.0.0.1:1", "asuna"))) {
            List<RawRecord> records = CollectorUnderTest.read(KAFKA, topic, 1, Duration.ofSeconds(60));
            assertThat(records).singleElement().satisfies(r -> {
                assertThat(r.line()).isEqualTo("Ready to accept connections");
                assertThat(r.attributes()).containsEntry("namespace", "homelab").containsEntry("pod", "redis-0")
                        .containsEntry("container", "redis").containsEntry("node", "asuna")
                        .doesNotContainKeys("pod_label_app");
            });
        }
    }

    @Test
    void aDeletedPodsLabelsAreKeptForItsLastLinesThenForgotten() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-25T10:00:00Z"));
        String first = createPod("cron-29401-a", "backup");
        try (PodMetadata metadata = new PodMetadata(client, "", "pods", clock)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> metadata.labels(first).containsKey("app"));
            // events arrive in order: once a later pod is known, the deletion before it was seen
            deletePod("cron-29401-a");
            String second = createPod("cron-29402-b", "backup");
            await().atMost(Duration.ofSeconds(30)).until(() -> metadata.labels(second).containsKey("app"));

            clock.advance(Duration.ofMinutes(30));
            deletePod("cron-29402-b");
            String third = createPod("cron-29403-c", "backup");
            await().atMost(Duration.ofSeconds(30)).until(() -> metadata.labels(third).containsKey("app"));
            // half an hour after its deletion the first pod's last lines still get its labels
            assertThat(metadata.labels(first)).containsEntry("app", "backup");

            clock.advance(PodMetadata.KEPT_AFTER_DELETE.plusMinutes(1));
            deletePod("cron-29403-c");
            await().atMost(Duration.ofSeconds(30)).until(() -> metadata.labels(first).isEmpty() && metadata.labels(second).isEmpty());
            assertThat(metadata.labels(third)).containsEntry("app", "backup");
        }
    }

    private static void deletePod(String name) {
        client.pods().inNamespace("homelab").withName(name).delete();
    }

    private static String createPod(String name, String app) {
        return client.pods().inNamespace("homelab").resource(new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("homelab").addToLabels("app", app).endMetadata()
                .withNewSpec().withNodeName("asuna").endSpec().build()).create().getMetadata().getUid();
    }
}

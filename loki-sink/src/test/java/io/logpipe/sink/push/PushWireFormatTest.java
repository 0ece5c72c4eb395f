package io.logpipe.sink.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.config.Secret;
import com.google.protobuf.Timestamp;
import io.logpipe.sink.push.proto.LokiPush.EntryAdapter;
import io.logpipe.sink.push.proto.LokiPush.LabelPairAdapter;
import io.logpipe.sink.push.proto.LokiPush.PushRequest;
import io.logpipe.sink.push.proto.LokiPush.StreamAdapter;
import io.logpipe.testkit.loki.LokiTestServer;
import io.logpipe.testkit.loki.StoredEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

class PushWireFormatTest {
    private static final long T0 = System.currentTimeMillis() * 1_000_000L;

    private static List<LokiEntry<Integer>> sample() {
        return List.of(
                new LokiEntry<>("{app=\"n8n\", namespace=\"homelab\"}", T0 + 1, "first \"quoted\" ünïcödé line", Map.of("pod_uid", "abc"), 1),
                new LokiEntry<>("{unit=\"ollama.service\"}", T0 + 2, "ollama line", Map.of(), 2),
                new LokiEntry<>("{app=\"n8n\", namespace=\"homelab\"}", T0 + 3, "second line", Map.of("pid", "42", "stream", "stderr"), 3));
    }

    @Test
    void theBodyIsSnappyCompressedProtobufGroupedByStreamInOrder() throws Exception {
        PushEncoder.Body body = new PushEncoder(true).encode(sample());
        PushRequest decoded = PushRequest.parseFrom(Snappy.uncompress(body.compressed()));

        assertThat(body.uncompressedBytes()).isEqualTo(decoded.getSerializedSize());
        assertThat(decoded.getStreamsList()).hasSize(2);
        var n8n = decoded.getStreams(0);
        assertThat(n8n.getLabels()).isEqualTo("{app=\"n8n\", namespace=\"homelab\"}");
        assertThat(n8n.getEntriesList()).extracting(e -> e.getLine()).containsExactly("first \"quoted\" ünïcödé line", "second line");
        assertThat(n8n.getEntries(0).getTimestamp().getSeconds()).isEqualTo((T0 + 1) / 1_000_000_000L);
        assertThat(n8n.getEntries(0).getTimestamp().getNanos()).isEqualTo((int) ((T0 + 1) % 1_000_000_000L));
        assertThat(n8n.getEntries(1).getStructuredMetadataList()).extracting(p -> p.getName() + "=" + p.getValue())
                .containsExactlyInAnyOrder("pid=42", "stream=stderr");
        assertThat(decoded.getStreams(1).getLabels()).isEqualTo("{unit=\"ollama.service\"}");
    }

    /** What an entry is made of, to build it both ways. */
    private record Sent(String stream, long timestampNanos, String line, Map<String, String> metadata) {
    }

    @Test
    void theRequestIsByteForByteWhatProtobufsGeneratedBuildersWrite() {
        List<Sent> sent = List.of(
                new Sent("{app=\"n8n\", namespace=\"homelab\"}", T0 + 1, "first \"quoted\" ünïcödé line 😀", Map.of("pod_uid", "abc")),
                new Sent("{unit=\"ollama.service\"}", T0, "", Map.of()),
                new Sent("{app=\"n8n\", namespace=\"homelab\"}", T0 + 3, "x".repeat(70_000), Map.of("pid", "42", "stream", "", "", "v")),
                new Sent("", 0, "epoch, no labels", Map.of()),
                new Sent("{a=\"b\"}", -1_500_000_001L, "before the epoch", Map.of("k", "v".repeat(200))));
        for (boolean structuredMetadata : new boolean[] {true, false}) {
            Map<String, StreamAdapter.Builder> streams = new LinkedHashMap<>();
            List<LokiEntry<Integer>> entries = new ArrayList<>();
            for (Sent s : sent) {
                entries.add(new LokiEntry<>(s.stream(), s.timestampNanos(), s.line(), s.metadata(), entries.size()));
                EntryAdapter.Builder entry = streams.computeIfAbsent(s.stream(), k -> StreamAdapter.newBuilder().setLabels(k))
                        .addEntriesBuilder()
                        .setTimestamp(Timestamp.newBuilder().setSeconds(Math.floorDiv(s.timestampNanos(), 1_000_000_000L))
                                .setNanos((int) Math.floorMod(s.timestampNanos(), 1_000_000_000L)))
                        .setLine(s.line());
                if (structuredMetadata) {
                    s.metadata().forEach((name, value) -> entry.addStructuredMetadata(
                            LabelPairAdapter.newBuilder().setName(name).setValue(value)));
                }
            }
            PushRequest.Builder expected = PushRequest.newBuilder();
            streams.values().forEach(expected::addStreams);

            assertThat(new PushEncoder(structuredMetadata).request(entries)).as("structured metadata " + structuredMetadata)
                    .isEqualTo(expected.build().toByteArray());
        }
        assertThat(new PushEncoder(true).request(List.of())).isEqualTo(PushRequest.getDefaultInstance().toByteArray());
    }

    @Test
    void structuredMetadataCanBeLeftOutForAnOlderLoki() throws Exception {
        PushRequest decoded = PushRequest.parseFrom(Snappy.uncompress(new PushEncoder(false).encode(sample()).compressed()));
        assertThat(decoded.getStreams(0).getEntries(0).getStructuredMetadataCount()).isZero();
    }

    @Test
    void anIndependentDecoderOfLokisSchemaStoresWhatWasSentWithTenantAndBasicAuth() throws Exception {
        try (LokiTestServer loki = LokiTestServer.start()) {
            loki.requireAuthorization(okhttp3.Credentials.basic("logpipe", "s3cret"));
            LokiConfig config = new LokiConfig(loki.url(), "homelab", new LokiConfig.Auth("logpipe", Secret.of("s3cret"), null),
                    null, Duration.ofSeconds(5), null);
            try (LokiClient client = new LokiClient(config)) {
                PushResult result = client.push(new PushEncoder(true).encode(sample()).compressed());
                assertThat(result).isEqualTo(new PushResult.Accepted(204));
            }
            assertThat(loki.entries()).extracting(StoredEntry::stream, StoredEntry::timestampNanos, StoredEntry::line)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("{app=\"n8n\", namespace=\"homelab\"}", T0 + 1, "first \"quoted\" ünïcödé line"),
                            org.assertj.core.groups.Tuple.tuple("{app=\"n8n\", namespace=\"homelab\"}", T0 + 3, "second line"),
                            org.assertj.core.groups.Tuple.tuple("{unit=\"ollama.service\"}", T0 + 2, "ollama line"));
            assertThat(loki.entries().get(1).structuredMetadata()).isEqualTo(Map.of("pid", "42", "stream", "stderr"));
            LokiTestServer.ReceivedPush push = loki.pushes().get(0);
            assertThat(push.contentType()).isEqualTo("application/x-protobuf");
            assertThat(push.tenant()).isEqualTo("homelab");
            assertThat(push.status()).isEqualTo(204);
        }
    }

    @Test
    void wrongCredentialsAreRetriedNotDropped() {
        try (LokiTestServer loki = LokiTestServer.start()) {
            loki.requireAuthorization("Bearer right-token");
            LokiConfig config = new LokiConfig(loki.url(), null, new LokiConfig.Auth(null, null, Secret.of("wrong-token")),
                    null, Duration.ofSeconds(5), null);
            try (LokiClient client = new LokiClient(config)) {
                assertThat(client.push(new PushEncoder(true).encode(sample()).compressed()))
                        .isInstanceOfSatisfying(PushResult.Failed.class, f -> assertThat(f.cause()).isEqualTo("401"));
            }
            LokiConfig right = new LokiConfig(loki.url(), null, new LokiConfig.Auth(null, null, Secret.of("right-token")),
                    null, Duration.ofSeconds(5), null);
            try (LokiClient client = new LokiClient(right)) {
                assertThat(client.push(new PushEncoder(true).encode(sample()).compressed())).isInstanceOf(PushResult.Accepted.class);
            }
            assertThat(loki.pushes()).extracting(LokiTestServer.ReceivedPush::authorization)
                    .containsExactly("Bearer wrong-token", "Bearer right-token");
        }
    }

    @Test
    void tlsWithAPrivateCaFromAPemFile(@TempDir Path dir) throws Exception {
        HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("homelab CA").build();
        HeldCertificate serverCert = new HeldCertificate.Builder().addSubjectAlternativeName("localhost").signedBy(ca).build();
        HandshakeCertificates serverSide = new HandshakeCertificates.Builder().heldCertificate(serverCert, ca.certificate()).build();
        Path caFile = dir.resolve("ca.crt");
        Files.writeString(caFile, ca.certificatePem());
        try (LokiTestServer loki = LokiTestServer.startHttps(serverSide.sslContext())) {
            LokiConfig trusting = new LokiConfig(loki.url(), null, null, new LokiConfig.Tls(caFile.toString()), Duration.ofSeconds(5), null);
            try (LokiClient client = new LokiClient(trusting)) {
                assertThat(client.push(new PushEncoder(true).encode(sample()).compressed())).isInstanceOf(PushResult.Accepted.class);
            }
            try (LokiClient untrusting = new LokiClient(LokiConfig.at(loki.url()))) {
                assertThat(untrusting.push(new PushEncoder(true).encode(sample()).compressed()))
                        .isInstanceOfSatisfying(PushResult.Failed.class, f -> assertThat(f.detail()).contains("SSL"));
            }
            assertThat(loki.count()).isEqualTo(3);
        }
    }

    @Test
    void retryAfterIsReadAsSecondsOrHttpDate() {
        assertThat(LokiClient.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(LokiClient.retryAfter(null)).isNull();
        assertThat(LokiClient.retryAfter("soon")).isNull();
        assertThat(LokiClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    }
}

package io.logpipe.sink.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipe.testkit.loki.LokiTestServer;
import io.logpipe.testkit.loki.StoredEntry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LokiPusherTest {
    private static final long NOW = System.currentTimeMillis() * 1_000_000L;
    private static final String VALID = "{app=\"n8n\", namespace=\"homelab\"}";

    private final LokiTestServer loki = LokiTestServer.start();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LokiPusher pusher = new LokiPusher(LokiConfig.at(loki.url()),
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)), new PushMetrics(registry));

    @AfterEach
    void stop() {
        pusher.close();
        loki.close();
    }

    private static List<LokiEntry<String>> valid(int n, String prefix) {
        return valid(n, prefix, NOW);
    }

    private static List<LokiEntry<String>> valid(int n, String prefix, long from) {
        return IntStream.range(0, n).mapToObj(i -> new LokiEntry<>(VALID, from + i, prefix + i, Map.<String, String>of(), prefix + i))
                .collect(Collectors.toCollection(ArrayList::new));
    }

    static List<Arguments> lokisRefusals() {
        String thirtyOne = IntStream.range(0, 31).mapToObj(i -> "l" + (char) ('a' + i / 26) + (char) ('a' + i % 26) + "=\"v\"")
                .collect(Collectors.joining(", ", "{", "}"));
        return List.of(
                Arguments.of("label name with -", "{foo-bar=\"x\"}", NOW, "x", RefusalReason.INVALID_LABELS,
                        "1:5: parse error: unexpected character inside braces: '-'"),
                Arguments.of("label name starting with a digit", "{1abc=\"x\"}", NOW, "x", RefusalReason.INVALID_LABELS,
                        "parse error"),
                Arguments.of("empty label set", "{}", NOW, "x", RefusalReason.MISSING_LABELS,
                        "error at least one label pair is required per stream"),
                Arguments.of("duplicate label name", "{job=\"a\", job=\"b\"}", NOW, "x", RefusalReason.DUPLICATE_LABEL_NAMES,
                        "stream '{job=\"a\", job=\"b\"}' has duplicate label name: 'job'"),
                Arguments.of("31 labels", thirtyOne, NOW, "x", RefusalReason.MAX_LABEL_NAMES_PER_SERIES,
                        "has 31 label names; limit 30"),
                Arguments.of("label value of 2049 chars", "{app=\"" + "v".repeat(2049) + "\"}", NOW, "x",
                        RefusalReason.LABEL_VALUE_TOO_LONG, "has label value too long"),
                Arguments.of("8 days old", VALID, NOW - Duration.ofDays(8).toNanos(), "old", RefusalReason.TOO_OLD,
                        "entry for stream '" + VALID + "' has timestamp too old"),
                Arguments.of("an hour ahead", VALID, NOW + Duration.ofHours(1).toNanos(), "new", RefusalReason.TOO_NEW,
                        "entry for stream '" + VALID + "' has timestamp too new"),
                Arguments.of("a line of 262145 bytes", VALID, NOW + 500, "x".repeat(262145), RefusalReason.LINE_TOO_LONG,
                        "Max entry size '262144' bytes exceeded for stream '" + VALID + "'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lokisRefusals")
    void aRefusedEntryAmongValidOnesIsSingledOutAndTheValidOnesAreStored(String name, String stream, long ts, String line,
                                                                         RefusalReason reason, String message) throws Exception {
        List<LokiEntry<String>> entries = valid(40, "before-");
        LokiEntry<String> bad = new LokiEntry<>(stream, ts, line, Map.of(), "BAD");
        entries.add(bad);
        entries.addAll(valid(40, "after-", NOW + 100));

        List<Refusal<String>> refused = pusher.deliver(entries);

        assertThat(refused).hasSize(1);
        assertThat(refused.get(0).entry().origin()).isEqualTo("BAD");
        assertThat(refused.get(0).reason()).isEqualTo(reason);
        assertThat(refused.get(0).message()).contains(message);
        assertThat(loki.entries()).extracting(StoredEntry::line).hasSize(80).doesNotContain(line);
        assertThat(loki.pushes().get(0).status()).isEqualTo(400);
    }

    @Test
    void severalRefusedEntriesInSeveralStreamsAreAllFound() throws Exception {
        List<LokiEntry<String>> entries = valid(100, "ok-");
        entries.add(10, new LokiEntry<>("{job=\"x\"}", NOW - Duration.ofDays(30).toNanos(), "ancient", Map.of(), "OLD"));
        entries.add(50, new LokiEntry<>("{bad-name=\"x\"}", NOW, "bad label", Map.of(), "LABEL"));
        entries.add(70, new LokiEntry<>(VALID, NOW + Duration.ofDays(1).toNanos(), "future", Map.of(), "NEW"));

        List<Refusal<String>> refused = pusher.deliver(entries);

        assertThat(refused).extracting(r -> r.entry().origin()).containsExactlyInAnyOrder("OLD", "LABEL", "NEW");
        assertThat(loki.count()).isEqualTo(100);
        assertThat(loki.duplicatesDropped()).as("re-pushed valid entries are stored once").isGreaterThanOrEqualTo(0);
    }

    @Test
    void unsortedLabelsAreAcceptedAndAnEmptyPushIsAnswered204() throws Exception {
        List<LokiEntry<String>> entries = List.of(new LokiEntry<>("{namespace=\"homelab\", app=\"n8n\"}", NOW, "unsorted", Map.of(), "u"));
        assertThat(pusher.deliver(entries)).isEmpty();
        assertThat(loki.entries(VALID)).extracting(StoredEntry::line).containsExactly("unsorted");
        try (LokiClient client = new LokiClient(LokiConfig.at(loki.url()))) {
            assertThat(client.push(new PushEncoder(true).encode(List.of()).compressed())).isEqualTo(new PushResult.Accepted(204));
        }
    }

    @Test
    void overTheIngestionRateLokiAnswers429AndStoresNothing() {
        loki.limits(LokiTestServer.Limits.LOKI_DEFAULTS.withIngestionRate(100));
        try (LokiClient client = new LokiClient(LokiConfig.at(loki.url()))) {
            PushResult result = client.push(new PushEncoder(true).encode(valid(20, "rated-")).compressed());
            assertThat(result).isInstanceOfSatisfying(PushResult.Failed.class, f -> {
                assertThat(f.cause()).isEqualTo("429");
                assertThat(f.detail()).contains("Ingestion rate limit exceeded for user fake (limit: 100 bytes/sec)");
            });
        }
        assertThat(loki.count()).isZero();
    }

    @Test
    void theTestServerTakesJsonPushesAndAnswersQueryRange() throws Exception {
        okhttp3.OkHttpClient http = new okhttp3.OkHttpClient();
        String json = "{\"streams\":[{\"stream\":{\"namespace\":\"homelab\",\"app\":\"n8n\"},\"values\":["
                + "[\"" + NOW + "\",\"json pushed line\",{\"trace_id\":\"abc\"}],[\"" + (NOW + 1) + "\",\"second\"]]}]}";
        okhttp3.Request push = new okhttp3.Request.Builder().url(loki.url() + "/loki/api/v1/push")
                .post(okhttp3.RequestBody.create(json, okhttp3.MediaType.get("application/json"))).build();
        try (okhttp3.Response response = http.newCall(push).execute()) {
            assertThat(response.code()).isEqualTo(204);
        }
        assertThat(loki.entries(VALID)).extracting(StoredEntry::line).containsExactly("json pushed line", "second");
        assertThat(loki.entries(VALID).get(0).structuredMetadata()).isEqualTo(Map.of("trace_id", "abc"));

        okhttp3.HttpUrl query = okhttp3.HttpUrl.get(loki.url() + "/loki/api/v1/query_range").newBuilder()
                .addQueryParameter("query", "{app=\"n8n\"} |= \"json\"").addQueryParameter("direction", "forward").build();
        try (okhttp3.Response response = http.newCall(new okhttp3.Request.Builder().url(query).build()).execute()) {
            com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body().string());
            assertThat(body.at("/data/result/0/stream/app").asText()).isEqualTo("n8n");
            assertThat(body.at("/data/result/0/values")).hasSize(1);
            assertThat(body.at("/data/result/0/values/0/1").asText()).isEqualTo("json pushed line");
        }
        http.dispatcher().executorService().shutdown();
    }

    @Test
    void aBodyThatIsNotSnappyIsRefusedAsLokiDoes() {
        try (LokiClient client = new LokiClient(LokiConfig.at(loki.url()))) {
            assertThat(client.push("not snappy at all".getBytes())).isEqualTo(new PushResult.Refused("snappy: corrupt input"));
        }
    }

    @Test
    void failuresAreRetriedUntilLokiAnswersAndCountedByCause() throws Exception {
        loki.failWith(503);
        CompletableFuture<List<Refusal<String>>> delivery = CompletableFuture.supplyAsync(() -> {
            try {
                return pusher.deliver(valid(10, "r-"));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> loki.pushes().size() >= 3);
        assertThat(pusher.retrying()).isTrue();
        assertThat(loki.count()).isZero();
        loki.throttle(Duration.ofSeconds(1));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> loki.pushes().stream().anyMatch(p -> p.status() == 429));
        loki.refuseConnections();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> registry.find("logpipe.sink.push.retries").tag("cause", "unreachable").counter() != null);
        loki.healthy();

        assertThat(delivery.get(60, TimeUnit.SECONDS)).isEmpty();
        assertThat(loki.count()).isEqualTo(10);
        assertThat(pusher.retrying()).isFalse();
        assertThat(registry.get("logpipe.sink.push.retries").tag("cause", "503").counter().count()).isGreaterThanOrEqualTo(2);
        assertThat(registry.get("logpipe.sink.push.retries").tag("cause", "429").counter().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("logpipe.sink.pushed.lines").counter().count()).isEqualTo(10);
        assertThat(registry.get("logpipe.sink.loki.up").gauge().value()).isEqualTo(1);
    }

    @Test
    void aTimeoutIsRetried() throws Exception {
        try (LokiPusher impatient = new LokiPusher(new LokiConfig(loki.url(), null, null, null, Duration.ofMillis(300), null),
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(50)), new PushMetrics(registry))) {
            loki.slow(Duration.ofSeconds(2));
            CompletableFuture<List<Refusal<String>>> delivery = CompletableFuture.supplyAsync(() -> {
                try {
                    return impatient.deliver(valid(5, "slow-"));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> registry.find("logpipe.sink.push.retries").tag("cause", "timeout").counter() != null);
            loki.healthy();
            assertThat(delivery.get(60, TimeUnit.SECONDS)).isEmpty();
            assertThat(loki.count()).as("slow answers stored too; the dedupe keeps one copy").isEqualTo(5);
        }
    }
}

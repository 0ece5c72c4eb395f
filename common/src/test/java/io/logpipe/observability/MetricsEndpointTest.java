package io.logpipe.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPrometheusTextWithJvmMetricsAndHealth() throws Exception {
        AtomicBoolean kafkaUp = new AtomicBoolean(false);
        try (MetricsEndpoint endpoint = new MetricsEndpoint()) {
            endpoint.registry().counter("logpipe_test_lines_total").increment(3);
            endpoint.readinessCheck("kafka", kafkaUp::get);
            int port = endpoint.start(new MetricsConfig("127.0.0.1", 0, true));

            HttpResponse<String> metrics = get(port, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
            assertThat(metrics.body()).contains("logpipe_test_lines_total 3.0").contains("jvm_memory_used_bytes");

            assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = get(port, "/readyz");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).contains("kafka");

            kafkaUp.set(true);
            assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void disabledEndpointServesNothing() {
        try (MetricsEndpoint endpoint = new MetricsEndpoint()) {
            assertThat(endpoint.start(new MetricsConfig(null, 0, false))).isEqualTo(-1);
        }
    }
}

package io.logpipe.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * One component's Prometheus registry and the tiny HTTP server in front of it:
 * {@code /metrics} (Prometheus text, JVM metrics included), {@code /healthz} (the process
 * answers) and {@code /readyz} (every registered readiness check holds).
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, BooleanSupplier> readinessChecks = new ConcurrentHashMap<>();
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private HttpServer server;

    public MetricsEndpoint() {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** {@code /readyz} answers 503 naming {@code name} while {@code check} is false. */
    public void readinessCheck(String name, BooleanSupplier check) {
        readinessChecks.put(name, check);
    }

    /** Starts serving; returns the bound port. Does nothing when {@code config.enabled()} is false. */
    public int start(MetricsConfig config) {
        if (!config.enabled()) {
            return -1;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(config.host(), config.port() == null ? 0 : config.port()), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serve metrics on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/healthz", exchange -> respond(exchange, 200, "text/plain", "ok\n"));
        server.createContext("/readyz", exchange -> {
            String failing = readinessChecks.entrySet().stream()
                    .filter(check -> !check.getValue().getAsBoolean())
                    .map(Map.Entry::getKey).sorted().collect(Collectors.joining(", "));
            if (failing.isEmpty()) {
                respond(exchange, 200, "text/plain", "ready\n");
            } else {
                respond(exchange, 503, "text/plain", "not ready: " + failing + "\n");
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    public int port() {
        return server == null ? -1 : server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
        gcMetrics.close();
        registry.close();
    }
}

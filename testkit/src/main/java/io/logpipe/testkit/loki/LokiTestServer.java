package io.logpipe.testkit.loki;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.logpipe.selector.Selector;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A Loki stand-in for tests: {@code POST /loki/api/v1/push} (snappy protobuf and JSON),
 * {@code GET /loki/api/v1/query_range} (stream selector and line filters), {@code GET /ready}.
 *
 * <p>It behaves as Loki 2.8 does where the sink can tell: entries identical in stream, timestamp
 * and line are stored once; labels may come unsorted; an empty push is 204; a push with refused
 * entries is answered 400 with the text of the <em>last</em> refusal while its valid entries are
 * stored; the refusals and their wording follow Loki's {@code pkg/validation}. It can be switched
 * to failing: refusing connections, answering 500/503, 429 with {@code Retry-After}, or slowly.
 */
public final class LokiTestServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

    /** Loki's {@code limits_config} as far as the test server checks it; defaults are Loki's. */
    public record Limits(Duration rejectOldSamplesMaxAge, Duration creationGracePeriod, int maxLineSize,
                         int maxLabelNamesPerSeries, int maxLabelNameLength, int maxLabelValueLength,
                         long ingestionRateBytesPerSecond) {
        public static final Limits LOKI_DEFAULTS = new Limits(Duration.ofDays(7), Duration.ofMinutes(10), 262144,
                30, 1024, 2048, 0);

        public Limits withMaxLineSize(int bytes) {
            return new Limits(rejectOldSamplesMaxAge, creationGracePeriod, bytes, maxLabelNamesPerSeries,
                    maxLabelNameLength, maxLabelValueLength, ingestionRateBytesPerSecond);
        }

        public Limits withRejectOldSamplesMaxAge(Duration age) {
            return new Limits(age, creationGracePeriod, maxLineSize, maxLabelNamesPerSeries,
                    maxLabelNameLength, maxLabelValueLength, ingestionRateBytesPerSecond);
        }

        /** 0 = unlimited. */
        public Limits withIngestionRate(long bytesPerSecond) {
            return new Limits(rejectOldSamplesMaxAge, creationGracePeriod, maxLineSize, maxLabelNamesPerSeries,
                    maxLabelNameLength, maxLabelValueLength, bytesPerSecond);
        }
    }

    /** How the next pushes are answered. */
    private sealed interface Behaviour {
    }

    private record Healthy() implements Behaviour {
    }

    private record FailWith(int status, Duration retryAfter) implements Behaviour {
    }

    private record Slow(Duration delay) implements Behaviour {
    }

    /** One push as received, for assertions on headers and outcomes. */
    public record ReceivedPush(String contentType, String tenant, String authorization, int entries, int status) {
    }

    private final SSLContext tls;
    private final Map<String, List<StoredEntry>> streams = new TreeMap<>();
    private final Set<List<Object>> seen = new HashSet<>();
    private final List<ReceivedPush> pushes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong duplicatesDropped = new AtomicLong();
    private final AtomicInteger pushesAnswered = new AtomicInteger();
    private volatile Behaviour behaviour = new Healthy();
    private volatile Limits limits = Limits.LOKI_DEFAULTS;
    private volatile String requiredAuthorization;
    private volatile boolean answering = true;
    // held from storing a push to answering it, and to start an outage (refuseConnections)
    private final Object outage = new Object();
    private long rateWindowSecond;
    private long rateWindowBytes;
    private int port;
    private HttpServer server;
    private ExecutorService executor;

    private LokiTestServer(SSLContext tls) {
        this.tls = tls;
    }

    /** A plain-HTTP server on a free port of 127.0.0.1. */
    public static LokiTestServer start() {
        LokiTestServer server = new LokiTestServer(null);
        server.listen(0);
        return server;
    }

    /** An HTTPS server presenting the certificate of {@code tls}. */
    public static LokiTestServer startHttps(SSLContext tls) {
        LokiTestServer server = new LokiTestServer(tls);
        server.listen(0);
        return server;
    }

    public String url() {
        return (tls == null ? "http" : "https") + "://" + (tls == null ? "127.0.0.1" : "localhost") + ":" + port;
    }

    public int port() {
        return port;
    }

    // ---- behaviour switches ----

    public LokiTestServer limits(Limits newLimits) {
        this.limits = Objects.requireNonNull(newLimits);
        return this;
    }

    /** Pushes without exactly this {@code Authorization} header get 401. */
    public LokiTestServer requireAuthorization(String headerValue) {
        this.requiredAuthorization = headerValue;
        return this;
    }

    /** Answer normally (and accept connections again). */
    public synchronized void healthy() {
        behaviour = new Healthy();
        if (!answering) {
            listen(port);
        }
    }

    /**
     * Close the listening socket: clients get "connection refused" until {@link #healthy()}. The
     * outage starts between pushes: a push stored but cut off before its answer would leave the
     * client no way to know it was stored, and it would rightly push it again — at least once,
     * which Loki's de-duplication absorbs, but the tests that check that the sink never pushes
     * again what Loki acknowledged need a clean cut. A push arriving after the cut is dropped
     * unanswered and unstored.
     */
    public void refuseConnections() {
        synchronized (outage) {
            if (!answering) {
                return;
            }
            answering = false;
        }
        synchronized (this) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    /** Answer every push with {@code status} (500, 503, ...) and store nothing. */
    public void failWith(int status) {
        behaviour = new FailWith(status, null);
    }

    /** Answer 429 with {@code Retry-After: seconds}, as Loki does when over its ingestion rate. */
    public void throttle(Duration retryAfter) {
        behaviour = new FailWith(429, retryAfter);
    }

    /** Answer each push only after {@code delay} (longer than the client's timeout = a timeout). */
    public void slow(Duration delay) {
        behaviour = new Slow(delay);
    }

    // ---- what was stored ----

    /** Every stored entry, by stream then time. */
    public synchronized List<StoredEntry> entries() {
        List<StoredEntry> all = new ArrayList<>();
        streams.values().forEach(all::addAll);
        return all;
    }

    public synchronized List<StoredEntry> entries(String sortedStream) {
        return List.copyOf(streams.getOrDefault(sortedStream, List.of()));
    }

    public synchronized int count() {
        return streams.values().stream().mapToInt(List::size).sum();
    }

    /** Entries received again after they were stored (dropped by the dedupe rule). */
    public long duplicatesDropped() {
        return duplicatesDropped.get();
    }

    public List<ReceivedPush> pushes() {
        synchronized (pushes) {
            return List.copyOf(pushes);
        }
    }

    public synchronized void clear() {
        streams.clear();
        seen.clear();
        pushes.clear();
        duplicatesDropped.set(0);
    }

    // ---- HTTP ----

    private void listen(int onPort) {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort);
            if (tls != null) {
                HttpsServer https = HttpsServer.create(address, 64);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            } else {
                server = HttpServer.create(address, 64);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on port " + onPort, e);
        }
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "loki-test-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/loki/api/v1/push", this::push);
        server.createContext("/loki/api/v1/query_range", this::queryRange);
        server.createContext("/ready", exchange -> respond(exchange, 200, "ready"));
        server.start();
        port = server.getAddress().getPort();
        answering = true;
    }

    private void push(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String contentType = Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("Content-Type"), "");
            String tenant = exchange.getRequestHeaders().getFirst("X-Scope-OrgID");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "method not allowed");
                return;
            }
            Behaviour now = behaviour;
            if (now instanceof Slow slow) {
                sleep(slow.delay());
            }
            if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
                record(contentType, tenant, authorization, -1, 401);
                respond(exchange, 401, "no org id");
                return;
            }
            if (now instanceof FailWith fail) {
                if (fail.retryAfter() != null) {
                    exchange.getResponseHeaders().set("Retry-After", String.valueOf(fail.retryAfter().toSeconds()));
                }
                record(contentType, tenant, authorization, -1, fail.status());
                respond(exchange, fail.status(), fail.status() == 429
                        ? rateLimitMessage(tenant, limits.ingestionRateBytesPerSecond(), 0, body.length)
                        : fail.status() == 503 ? "Service Unavailable" : "rpc error: code = Unavailable desc = ingester not ready");
                return;
            }
            List<PushedStream> pushed;
            try {
                pushed = contentType.startsWith("application/json") ? PushDecoder.json(body) : PushDecoder.snappyProtobuf(body);
            } catch (PushDecoder.UnreadableBody e) {
                record(contentType, tenant, authorization, -1, 400);
                respond(exchange, 400, e.getMessage());
                return;
            }
            synchronized (outage) {
                if (!answering) {
                    return; // the outage began while this push was read: it is closed unanswered
                }
                Answer answer = ingest(pushed, tenant);
                record(contentType, tenant, authorization, pushed.stream().mapToInt(s -> s.entries().size()).sum(), answer.status());
                respond(exchange, answer.status(), answer.message());
                exchange.close(); // the answer is out before an outage can close the connection
            }
        }
    }

    private record Answer(int status, String message) {
    }

    private record Validated(String stream, Map<String, String> labels, List<PushedStream.PushedEntry> entries) {
    }

    /** Loki 2.8 distributor: validate every stream and entry, remember the last error, store the rest. */
    private synchronized Answer ingest(List<PushedStream> pushed, String tenant) {
        Limits l = limits;
        long nowNanos = System.currentTimeMillis() * 1_000_000L;
        String lastError = null;
        List<Validated> accepted = new ArrayList<>();
        for (PushedStream stream : pushed) {
            if (stream.entries().isEmpty()) {
                continue;
            }
            List<Map.Entry<String, String>> labels;
            try {
                labels = stream.labelMap() != null ? stream.labelMap() : LabelText.parse(stream.labels());
            } catch (LabelText.ParseError e) {
                lastError = e.getMessage();
                continue;
            }
            List<Map.Entry<String, String>> sorted = new ArrayList<>(labels);
            sorted.sort(Map.Entry.comparingByKey());
            String text = text(sorted);
            String labelError = validateLabels(sorted, text, l);
            if (labelError != null) {
                lastError = labelError;
                continue;
            }
            List<PushedStream.PushedEntry> valid = new ArrayList<>();
            for (PushedStream.PushedEntry entry : stream.entries()) {
                String entryError = validateEntry(entry, text, l, nowNanos);
                if (entryError != null) {
                    lastError = entryError;
                } else {
                    valid.add(entry);
                }
            }
            Map<String, String> labelMap = new LinkedHashMap<>();
            sorted.forEach(e -> labelMap.put(e.getKey(), e.getValue()));
            accepted.add(new Validated(text, labelMap, valid));
        }
        if (l.ingestionRateBytesPerSecond() > 0) {
            long bytes = accepted.stream().flatMap(v -> v.entries().stream()).mapToLong(e -> e.line().length()).sum();
            long second = System.currentTimeMillis() / 1000;
            if (second != rateWindowSecond) {
                rateWindowSecond = second;
                rateWindowBytes = 0;
            }
            if (rateWindowBytes + bytes > l.ingestionRateBytesPerSecond()) {
                int lines = accepted.stream().mapToInt(v -> v.entries().size()).sum();
                return new Answer(429, rateLimitMessage(tenant, l.ingestionRateBytesPerSecond(), lines, bytes));
            }
            rateWindowBytes += bytes;
        }
        for (Validated stream : accepted) {
            for (PushedStream.PushedEntry entry : stream.entries()) {
                if (seen.add(List.of(stream.stream(), entry.timestampNanos(), entry.line()))) {
                    streams.computeIfAbsent(stream.stream(), s -> new ArrayList<>()).add(new StoredEntry(stream.stream(),
                            Map.copyOf(stream.labels()), entry.timestampNanos(), entry.line(), Map.copyOf(entry.structuredMetadata())));
                } else {
                    duplicatesDropped.incrementAndGet();
                }
            }
        }
        return lastError == null ? new Answer(204, "") : new Answer(400, lastError);
    }

    private static String validateLabels(List<Map.Entry<String, String>> sorted, String text, Limits l) {
        if (sorted.isEmpty()) {
            return "error at least one label pair is required per stream";
        }
        if (sorted.size() > l.maxLabelNamesPerSeries()) {
            return "stream '" + text + "' has " + sorted.size() + " label names; limit " + l.maxLabelNamesPerSeries();
        }
        String last = "";
        for (Map.Entry<String, String> label : sorted) {
            if (label.getKey().length() > l.maxLabelNameLength()) {
                return "stream '" + text + "' has label name too long: '" + label.getKey() + "'";
            } else if (label.getValue().length() > l.maxLabelValueLength()) {
                return "stream '" + text + "' has label value too long: '" + label.getValue() + "'";
            } else if (last.equals(label.getKey())) {
                return "stream '" + text + "' has duplicate label name: '" + label.getKey() + "'";
            }
            last = label.getKey();
        }
        return null;
    }

    private static String validateEntry(PushedStream.PushedEntry entry, String text, Limits l, long nowNanos) {
        long ts = entry.timestampNanos();
        if (ts < nowNanos - l.rejectOldSamplesMaxAge().toNanos()) {
            return "entry for stream '" + text + "' has timestamp too old: " + rfc3339(ts)
                    + ", oldest acceptable timestamp is: " + rfc3339(nowNanos - l.rejectOldSamplesMaxAge().toNanos());
        }
        if (ts > nowNanos + l.creationGracePeriod().toNanos()) {
            return "entry for stream '" + text + "' has timestamp too new: " + rfc3339(ts);
        }
        int length = entry.line().getBytes(StandardCharsets.UTF_8).length;
        if (length > l.maxLineSize()) {
            return "Max entry size '" + l.maxLineSize() + "' bytes exceeded for stream '" + text
                    + "' while adding an entry with length '" + length + "' bytes";
        }
        return null;
    }

    private static String rateLimitMessage(String tenant, long limit, int lines, long bytes) {
        return "Ingestion rate limit exceeded for user " + (tenant == null ? "fake" : tenant)
                + " (limit: " + limit + " bytes/sec) while attempting to ingest '" + lines + "' lines totaling '" + bytes
                + "' bytes, reduce log volume or contact your Loki administrator to see if the limit can be increased";
    }

    private static String rfc3339(long nanos) {
        return RFC3339.format(Instant.ofEpochSecond(0, nanos));
    }

    /** Prometheus' label text: {@code {a="b", c="d"}}. */
    private static String text(List<Map.Entry<String, String>> labels) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, String> label : labels) {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(label.getKey()).append("=\"")
                    .append(label.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        }
        return out.append('}').toString();
    }

    private void queryRange(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> params = query(exchange.getRequestURI().getRawQuery());
            Selector selector;
            try {
                selector = Selector.parse(params.getOrDefault("query", ""));
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, "parse error: " + e.getMessage());
                return;
            }
            long start = parseTime(params.get("start"), Long.MIN_VALUE);
            long end = parseTime(params.get("end"), Long.MAX_VALUE);
            int limit = Integer.parseInt(params.getOrDefault("limit", "100"));
            boolean forward = "forward".equalsIgnoreCase(params.get("direction"));
            ObjectNode root = JSON.createObjectNode().put("status", "success");
            ObjectNode data = root.putObject("data").put("resultType", "streams");
            ArrayNode result = data.putArray("result");
            List<StoredEntry> matching = new ArrayList<>();
            synchronized (this) {
                for (List<StoredEntry> stream : streams.values()) {
                    for (StoredEntry entry : stream) {
                        if (entry.timestampNanos() >= start && entry.timestampNanos() < end
                                && selector.matches(entry.labels(), entry.line())) {
                            matching.add(entry);
                        }
                    }
                }
            }
            Comparator<StoredEntry> byTime = Comparator.comparingLong(StoredEntry::timestampNanos);
            matching.sort(forward ? byTime : byTime.reversed());
            Map<String, ArrayNode> values = new LinkedHashMap<>();
            for (StoredEntry entry : matching.subList(0, Math.min(limit, matching.size()))) {
                ArrayNode streamValues = values.computeIfAbsent(entry.stream(), s -> {
                    ObjectNode stream = result.addObject();
                    ObjectNode labels = stream.putObject("stream");
                    entry.labels().forEach(labels::put);
                    return stream.putArray("values");
                });
                ArrayNode value = streamValues.addArray().add(String.valueOf(entry.timestampNanos())).add(entry.line());
                if (!entry.structuredMetadata().isEmpty()) {
                    ObjectNode metadata = value.addObject();
                    entry.structuredMetadata().forEach(metadata::put);
                }
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            respond(exchange, 200, JSON.writeValueAsString(root));
        }
    }

    private static long parseTime(String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException notNanos) {
            Instant at = Instant.parse(value);
            return at.getEpochSecond() * 1_000_000_000L + at.getNano();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private void record(String contentType, String tenant, String authorization, int entries, int status) {
        pushes.add(new ReceivedPush(contentType, tenant, authorization, entries, status));
        pushesAnswered.incrementAndGet();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (status == 204 || bytes.length == 0) {
            exchange.sendResponseHeaders(status == 200 && bytes.length == 0 ? 204 : status, -1);
            return;
        }
        exchange.getResponseHeaders().putIfAbsent("Content-Type", List.of("text/plain; charset=utf-8"));
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        if (answering) {
            server.stop(0);
            executor.shutdownNow();
            answering = false;
        }
    }
}

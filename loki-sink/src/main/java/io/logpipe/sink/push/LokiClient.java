package io.logpipe.sink.push;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * One HTTP push to Loki, classified: {@link PushResult.Accepted}, {@link PushResult.Refused}
 * (400) or {@link PushResult.Failed} (try again). OkHttp's own silent retries are off, so
 * every attempt is counted and delayed by the caller's backoff.
 */
public final class LokiClient implements AutoCloseable {
    private static final MediaType PROTOBUF = MediaType.get("application/x-protobuf");
    private static final int MAX_MESSAGE_CHARS = 4096;

    private final OkHttpClient http;
    private final String pushUrl;
    private final String tenant;
    private final String authorization;

    public LokiClient(LokiConfig config) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .retryOnConnectionFailure(false)
                .connectTimeout(config.timeout())
                .readTimeout(config.timeout())
                .writeTimeout(config.timeout())
                .callTimeout(config.timeout().multipliedBy(2))
                .connectionPool(new ConnectionPool(4, 5, TimeUnit.MINUTES))
                .socketFactory(new NoDelaySocketFactory());
        if (config.tls() != null && config.tls().caFile() != null) {
            X509TrustManager trust = trustManager(Path.of(config.tls().caFile()));
            builder.sslSocketFactory(sslContext(trust).getSocketFactory(), trust);
        }
        this.http = builder.build();
        this.pushUrl = config.pushUrl();
        this.tenant = config.tenant();
        LokiConfig.Auth auth = config.auth();
        if (auth == null) {
            this.authorization = null;
        } else if (auth.isBasic()) {
            this.authorization = Credentials.basic(auth.username(), auth.password().value(), StandardCharsets.UTF_8);
        } else if (auth.bearerToken() != null && !auth.bearerToken().isEmpty()) {
            this.authorization = "Bearer " + auth.bearerToken().value();
        } else {
            this.authorization = null;
        }
    }

    public PushResult push(byte[] snappyProtobuf) {
        Request.Builder request = new Request.Builder()
                .url(pushUrl)
                .post(RequestBody.create(snappyProtobuf, PROTOBUF));
        if (tenant != null) {
            request.header("X-Scope-OrgID", tenant);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try (Response response = http.newCall(request.build()).execute()) {
            int status = response.code();
            if (status >= 200 && status < 300) {
                return new PushResult.Accepted(status);
            }
            String message = message(response.body());
            if (status == 400) {
                return new PushResult.Refused(message);
            }
            return new PushResult.Failed(String.valueOf(status), status + " " + message,
                    retryAfter(response.header("Retry-After")), status < 500);
        } catch (InterruptedIOException e) {
            return new PushResult.Failed("timeout", "no answer within the timeout: " + e.getMessage(), null, false);
        } catch (ConnectException | UnknownHostException e) {
            return new PushResult.Failed("unreachable", e.getMessage(), null, false);
        } catch (IOException e) {
            return new PushResult.Failed("unreachable", e.getClass().getSimpleName() + ": " + e.getMessage(), null, false);
        }
    }

    private static String message(ResponseBody body) throws IOException {
        String text = body == null ? "" : body.string().trim();
        return text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + "…" : text;
    }

    /** {@code Retry-After} as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /** Trusts exactly the certificates of a PEM file (a private CA, possibly a chain). */
    static X509TrustManager trustManager(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + n++, certificate);
            }
            if (n == 0) {
                throw new IllegalArgumentException(pemFile + ": no PEM certificate in the file");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            TrustManager[] managers = factory.getTrustManagers();
            return (X509TrustManager) Arrays.stream(managers).filter(m -> m instanceof X509TrustManager).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no X509 trust manager"));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(pemFile + ": cannot read the CA certificate: " + e.getMessage(), e);
        }
    }

    private static SSLContext sslContext(X509TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS", e);
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /**
     * Sockets without Nagle's algorithm. OkHttp writes a request body in 8 KiB segments; with Nagle
     * on, each segment after the first waits for the ACK of the one before, and the receiver
     * delays its ACKs by up to 40 ms: every push of a large batch stalled that long (a 1 MiB
     * batch took ~37 ms on loopback, most of it waiting). Go's net/http, which Loki uses, sets
     * TCP_NODELAY on its side for the same reason.
     */
    static final class NoDelaySocketFactory extends SocketFactory {
        private final SocketFactory plain = SocketFactory.getDefault();

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(plain.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(plain.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(plain.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return noDelay(plain.createSocket(address, port, localAddress, localPort));
        }

        private static Socket noDelay(Socket socket) throws IOException {
            socket.setTcpNoDelay(true);
            return socket;
        }
    }
}

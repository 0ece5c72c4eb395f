package io.logpipe.sink.push;

import static io.logpipe.config.ConfigException.require;

import io.logpipe.config.Secret;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how to push: the {@code loki:} block.
 *
 * <pre>
 * loki:
 *   url: https://loki.homelab:3100        # the push path /loki/api/v1/push is appended
 *   tenant: homelab                       # X-Scope-OrgID, only for multi-tenant Loki
 *   auth: {username: logpipe, password: ${LOKI_PASSWORD}}   # or {bearer_token: ${LOKI_TOKEN}}
 *   tls: {ca_file: /etc/logpipe/loki-ca.crt}
 *   timeout: 10s
 *   structured_metadata: true             # false for a Loki that refuses it (before 2.9, or schema &lt; v13)
 * </pre>
 */
public record LokiConfig(String url, String tenant, Auth auth, Tls tls, Duration timeout, Boolean structuredMetadata) {

    public static final String DEFAULT_URL = "http://localhost:3100";
    public static final String PUSH_PATH = "/loki/api/v1/push";

    /** Either basic auth (username + password) or a bearer token. */
    public record Auth(String username, Secret password, Secret bearerToken) {
        public Auth {
            boolean basic = username != null || password != null;
            boolean bearer = bearerToken != null && !bearerToken.isEmpty();
            require(!(basic && bearer), "bearer_token", "give either username/password or bearer_token, not both");
            require(!basic || (username != null && !username.isBlank() && password != null && !password.isEmpty()),
                    "password", "basic auth needs both username and password");
        }

        boolean isBasic() {
            return username != null;
        }
    }

    /** A private CA in PEM form that signs Loki's certificate (the JDK's trusted CAs are used without it). */
    public record Tls(String caFile) {
        public Tls {
            require(caFile == null || Files.isReadable(Path.of(caFile)), "ca_file", "file '" + caFile + "' is not readable");
        }
    }

    public LokiConfig {
        url = url == null || url.isBlank() ? DEFAULT_URL : stripTrailingSlash(url.trim());
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        structuredMetadata = structuredMetadata == null || structuredMetadata;
        tenant = tenant == null || tenant.isBlank() ? null : tenant.trim();
        URI parsed = parse(url);
        require(parsed != null && ("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))
                && parsed.getHost() != null, "url", "'" + url + "' is not an http:// or https:// URL");
        require(!timeout.isNegative() && !timeout.isZero(), "timeout", "must be positive");
    }

    public static LokiConfig at(String url) {
        return new LokiConfig(url, null, null, null, null, null);
    }

    /** The full push endpoint. */
    public String pushUrl() {
        return url.endsWith(PUSH_PATH) ? url : url + PUSH_PATH;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static URI parse(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

package io.logpipe.observability;

import static io.logpipe.config.ConfigException.require;

/**
 * The {@code metrics:} block: where {@code /metrics}, {@code /healthz} and {@code /readyz} are
 * served. Port 0 picks a free port (tests).
 */
public record MetricsConfig(String host, Integer port, Boolean enabled) {

    public MetricsConfig {
        host = host == null || host.isBlank() ? "0.0.0.0" : host;
        enabled = enabled == null || enabled;
        require(port == null || (port >= 0 && port <= 65535), "port", "must be between 0 and 65535, was " + port);
    }

    public static MetricsConfig onPort(int port) {
        return new MetricsConfig(null, port, true);
    }

    /** This config with {@code defaultPort} where the file gave none. */
    public MetricsConfig withDefaultPort(int defaultPort) {
        return port != null ? this : new MetricsConfig(host, defaultPort, enabled);
    }
}

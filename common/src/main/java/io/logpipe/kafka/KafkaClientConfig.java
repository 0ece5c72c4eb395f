package io.logpipe.kafka;

import static io.logpipe.config.ConfigException.require;

import io.logpipe.config.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How a component reaches Kafka: the {@code kafka:} block of every component's config.
 *
 * <pre>
 * kafka:
 *   bootstrap_servers: my-cluster-kafka-bootstrap:9093
 *   security_protocol: SASL_SSL          # PLAINTEXT | SSL | SASL_PLAINTEXT | SASL_SSL
 *   sasl: {mechanism: SCRAM-SHA-512, username: collector, password: ${KAFKA_PASSWORD}}
 *   tls: {ca_file: /etc/logpipe/ca.crt}
 *   properties: {reconnect.backoff.max.ms: "10000"}  # any other client property, applied last;
 *                                                    # a component refuses those it sets itself
 * </pre>
 */
public record KafkaClientConfig(
        String bootstrapServers,
        SecurityProtocol securityProtocol,
        Sasl sasl,
        Tls tls,
        Map<String, String> properties) {

    public enum SecurityProtocol { PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL }

    public enum SaslMechanism {
        SCRAM_SHA_512("SCRAM-SHA-512"), SCRAM_SHA_256("SCRAM-SHA-256"), PLAIN("PLAIN");

        private final String kafkaName;

        SaslMechanism(String kafkaName) {
            this.kafkaName = kafkaName;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String kafkaName() {
            return kafkaName;
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static SaslMechanism of(String name) {
            for (SaslMechanism m : values()) {
                if (m.kafkaName.equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown SASL mechanism '" + name + "' (allowed: SCRAM-SHA-512, SCRAM-SHA-256, PLAIN)");
        }

        @Override
        public String toString() {
            return kafkaName;
        }
    }

    public record Sasl(SaslMechanism mechanism, String username, Secret password) {
        public Sasl {
            mechanism = mechanism == null ? SaslMechanism.SCRAM_SHA_512 : mechanism;
        }
    }

    /**
     * TLS with PEM files, as Strimzi's cluster CA secret and user secrets mount them.
     * {@code cert_file}/{@code key_file} are for mutual TLS only.
     */
    public record Tls(String caFile, String certFile, String keyFile, Boolean verifyHostname) {
        public Tls {
            verifyHostname = verifyHostname == null || verifyHostname;
            require(caFile == null || Files.isReadable(Path.of(caFile)), "ca_file", "file '" + caFile + "' is not readable");
            require(certFile == null || Files.isReadable(Path.of(certFile)), "cert_file", "file '" + certFile + "' is not readable");
            require(keyFile == null || Files.isReadable(Path.of(keyFile)), "key_file", "file '" + keyFile + "' is not readable");
            require((certFile == null) == (keyFile == null), "key_file", "cert_file and key_file go together");
        }
    }

    public KafkaClientConfig {
        bootstrapServers = bootstrapServers == null || bootstrapServers.isBlank() ? "localhost:9092" : bootstrapServers.trim();
        securityProtocol = securityProtocol == null ? SecurityProtocol.PLAINTEXT : securityProtocol;
        properties = properties == null ? Map.of() : Map.copyOf(properties);
        boolean usesSasl = securityProtocol == SecurityProtocol.SASL_PLAINTEXT || securityProtocol == SecurityProtocol.SASL_SSL;
        require(!usesSasl || (sasl != null && sasl.username() != null && sasl.password() != null && !sasl.password().isEmpty()),
                "sasl", "security_protocol " + securityProtocol + " needs sasl.username and sasl.password");
        for (String hostPort : bootstrapServers.split(",")) {
            require(hostPort.trim().matches("[^:\\s]+:\\d{1,5}"), "bootstrap_servers",
                    "'" + hostPort.trim() + "' is not host:port");
        }
    }

    /** Defaults: PLAINTEXT to localhost:9092. */
    public static KafkaClientConfig local(String bootstrapServers) {
        return new KafkaClientConfig(bootstrapServers, null, null, null, null);
    }

    /** The Kafka client properties for this block; the caller adds producer/consumer specifics. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol.name());
        if (sasl != null && (securityProtocol == SecurityProtocol.SASL_PLAINTEXT || securityProtocol == SecurityProtocol.SASL_SSL)) {
            props.put(SaslConfigs.SASL_MECHANISM, sasl.mechanism().kafkaName());
            String module = sasl.mechanism() == SaslMechanism.PLAIN
                    ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            props.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + jaasEscape(sasl.username())
                    + "\" password=\"" + jaasEscape(sasl.password().value()) + "\";");
        }
        if (tls != null && (securityProtocol == SecurityProtocol.SSL || securityProtocol == SecurityProtocol.SASL_SSL)) {
            if (tls.caFile() != null) {
                props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
                props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.caFile());
            }
            if (tls.certFile() != null) {
                props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
                props.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, readPem(tls.certFile()));
                props.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, readPem(tls.keyFile()));
            }
            if (!tls.verifyHostname()) {
                props.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
            }
        }
        props.putAll(properties);
        return props;
    }

    private static String readPem(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}

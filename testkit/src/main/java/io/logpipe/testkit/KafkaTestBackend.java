package io.logpipe.testkit;

import java.util.Locale;

/**
 * Which real broker the integration tests run on. Chosen by the system property
 * {@code logpipe.test.kafka} or its twin, the environment variable {@code LOGPIPE_TEST_KAFKA};
 * {@code inprocess} when neither is set. No test knows which one it got.
 */
public enum KafkaTestBackend {
    /** Apache Kafka's own KRaft broker in the test JVM (Kafka's test kit). Works everywhere. */
    INPROCESS,
    /** The {@code apache/kafka} image through Testcontainers. Needs a Docker engine. */
    TESTCONTAINERS;

    public static final String PROPERTY = "logpipe.test.kafka";
    public static final String ENVIRONMENT = "LOGPIPE_TEST_KAFKA";

    /** The backend this run asks for. */
    public static KafkaTestBackend selected() {
        String fromProperty = System.getProperty(PROPERTY);
        String value = fromProperty != null && !fromProperty.isBlank() ? fromProperty : System.getenv(ENVIRONMENT);
        return parse(value);
    }

    /** Parses a setting; null or blank is the default, anything unknown an error naming the allowed values. */
    public static KafkaTestBackend parse(String value) {
        if (value == null || value.isBlank()) {
            return INPROCESS;
        }
        for (KafkaTestBackend backend : values()) {
            if (backend.name().equalsIgnoreCase(value.trim())) {
                return backend;
            }
        }
        throw new IllegalArgumentException(PROPERTY + " (or " + ENVIRONMENT + ") is '" + value
                + "', which is not a Kafka test backend; allowed: inprocess, testcontainers");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.logpipe.kafka;

/** The {@code topics:} block: names of the four DESIGN.md topics, defaults as there. */
public record TopicNames(String raw, String enriched, String dlq, String errorRates) {
    public static final TopicNames DEFAULTS = new TopicNames(null, null, null, null);

    public TopicNames {
        raw = orDefault(raw, "logs.raw");
        enriched = orDefault(enriched, "logs.enriched");
        dlq = orDefault(dlq, "logs.dlq");
        errorRates = orDefault(errorRates, "logs.error-rates");
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}

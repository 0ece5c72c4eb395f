package io.logpipe.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A password or token from the config (normally {@code ${ENV_VAR}} or a mounted file). Its
 * {@code toString} never shows the value, so a config record can be logged whole.
 */
public record Secret(String value) {

    @JsonCreator
    public static Secret of(String value) {
        return new Secret(value);
    }

    @JsonValue
    public String value() {
        return value;
    }

    public boolean isEmpty() {
        return value == null || value.isEmpty();
    }

    @Override
    public String toString() {
        return isEmpty() ? "(empty)" : "******";
    }
}

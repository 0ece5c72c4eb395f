package io.logpipe.config;

import java.util.Map;

/**
 * Bad configuration: the message names the file, the key and what is allowed. The launcher
 * turns it into exit code 2.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Thrown by a config record's constructor when one of its fields has a value it refuses;
     * the loader prefixes the file and the path of the enclosing key.
     */
    public static final class InvalidValue extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String field;

        public InvalidValue(String field, String why) {
            super(why);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** Checks one field of a config record. */
    public static void require(boolean ok, String field, String why) {
        if (!ok) {
            throw new InvalidValue(field, why);
        }
    }

    /**
     * Checks a free-form property map ({@code kafka.properties}, {@code streams_properties}) for
     * properties the component sets itself, because its guarantees rest on them or another key
     * decides them: {@code refused} maps each such name to why, or what to use instead.
     */
    public static void refuse(Map<String, ?> given, Map<String, String> refused, String field) {
        for (String name : given.keySet()) {
            String why = refused.get(name);
            require(why == null, field, "'" + name + "' cannot be set here: " + why);
        }
    }
}

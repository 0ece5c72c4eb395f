package io.logpipe.config;

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
}

package io.logpipe.record;

/** A Kafka value that is not a logpipe record of a version this build reads. The message says why. */
public class RecordFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecordFormatException(String message, Throwable cause) {
        super(message, cause);
    }

    public RecordFormatException(String message) {
        super(message);
    }
}

package io.logpipe.collector.source.journald;

/** One entry of journalctl's output that cannot be read: counted as bad input, and reading goes on with the next. */
final class MalformedEntryException extends Exception {
    MalformedEntryException(String message) {
        super(message);
    }
}

package io.logpipe.sink.push;

/** An entry Loki will not store, and its message. */
public record Refusal<O>(LokiEntry<O> entry, RefusalReason reason, String message) {
}

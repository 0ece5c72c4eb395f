package io.logpipe.sink.push;

import java.time.Duration;

/** What Loki made of one push. */
public sealed interface PushResult {

    /** 2xx: every entry is stored. */
    record Accepted(int status) implements PushResult {
    }

    /**
     * 400: at least one entry was refused and will be refused again; Loki stored the valid
     * entries of the same push. {@code message} is Loki's text (it names the last refusal only).
     */
    record Refused(String message) implements PushResult {
    }

    /**
     * Worth trying again: Loki unreachable, a timeout, 429, 5xx (and any other status, so that
     * a wrong URL or credentials hold the data in Kafka instead of dropping it).
     *
     * @param cause a short, low-cardinality name: {@code unreachable}, {@code timeout} or the status code
     * @param detail for the log
     * @param retryAfter what the {@code Retry-After} header asked for, or null
     * @param lokiAnswered false when no HTTP answer came (or a 5xx), for the up/down gauge
     */
    record Failed(String cause, String detail, Duration retryAfter, boolean lokiAnswered) implements PushResult {
    }
}

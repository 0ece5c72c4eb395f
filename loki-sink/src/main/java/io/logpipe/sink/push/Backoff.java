package io.logpipe.sink.push;

import static io.logpipe.config.ConfigException.require;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with jitter, the {@code retry:} block. The n-th consecutive
 * failure waits between half and all of {@code min_backoff · 2ⁿ} (at most {@code max_backoff});
 * the jitter keeps many sinks from hammering a Loki that just came back in step.
 * A {@code Retry-After} from Loki wins when it asks for longer.
 */
public record Backoff(Duration minBackoff, Duration maxBackoff) {
    /** A Retry-After longer than this is treated as a mistake. */
    private static final Duration LONGEST_RETRY_AFTER = Duration.ofMinutes(5);

    public Backoff {
        minBackoff = minBackoff == null ? Duration.ofMillis(500) : minBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofSeconds(30) : maxBackoff;
        require(minBackoff.toMillis() > 0, "min_backoff", "must be positive");
        require(maxBackoff.compareTo(minBackoff) >= 0, "max_backoff", "must not be shorter than min_backoff");
    }

    public static final Backoff DEFAULT = new Backoff(null, null);

    /** How long to wait after the {@code failures}-th consecutive failure (1 = the first). */
    public Duration delay(int failures, Duration retryAfter) {
        long cap = maxBackoff.toMillis();
        long exponential = minBackoff.toMillis() << Math.min(Math.max(failures - 1, 0), 30);
        long ceiling = exponential <= 0 ? cap : Math.min(cap, exponential);
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
        Duration delay = Duration.ofMillis(jittered);
        if (retryAfter != null) {
            Duration asked = retryAfter.compareTo(LONGEST_RETRY_AFTER) > 0 ? LONGEST_RETRY_AFTER : retryAfter;
            if (asked.compareTo(delay) > 0) {
                return asked;
            }
        }
        return delay;
    }
}

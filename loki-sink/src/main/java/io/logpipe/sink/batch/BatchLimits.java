package io.logpipe.sink.batch;

import static io.logpipe.config.ConfigException.require;

import io.logpipe.config.ByteSize;
import java.time.Duration;

/**
 * When a batch is pushed: the {@code batch:} block. A batch closes when its entries reach
 * {@code max_bytes} or when its oldest entry has waited {@code max_wait}, whichever comes first.
 */
public record BatchLimits(ByteSize maxBytes, Duration maxWait) {
    public static final BatchLimits DEFAULTS = new BatchLimits(null, null);

    public BatchLimits {
        maxBytes = maxBytes == null ? ByteSize.parse("1MiB") : maxBytes;
        maxWait = maxWait == null ? Duration.ofSeconds(1) : maxWait;
        require(maxBytes.bytes() >= 1024, "max_bytes", "must be at least 1KiB");
        require(maxBytes.bytes() <= 64L * 1024 * 1024, "max_bytes", "must be at most 64MiB (Loki refuses larger requests)");
        require(!maxWait.isNegative() && !maxWait.isZero(), "max_wait", "must be positive");
    }
}

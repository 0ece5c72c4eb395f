package io.logpipe.collector.tail;

import java.time.Duration;

/**
 * How a tailing source reads its files.
 *
 * @param maxLineSize the most bytes of one line held and shipped as one record
 * @param longLines split or truncate a longer line
 * @param pollInterval pause when no file had new data
 * @param scanInterval how often the globs are matched again (new and vanished files)
 * @param startAtEnd files found at the very first start (no checkpoint) are read from their end
 */
public record TailSettings(int maxLineSize, LongLines longLines, Duration pollInterval, Duration scanInterval, boolean startAtEnd) {
}

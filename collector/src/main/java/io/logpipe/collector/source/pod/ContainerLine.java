package io.logpipe.collector.source.pod;

/**
 * One line of a container log, its envelope taken apart: where the message is in the buffer,
 * when it was written, on which stream, and whether the runtime cut it ({@code P}, or a docker
 * {@code log} without its final newline).
 */
record ContainerLine(long timestampNanos, String stream, boolean partial, byte[] buffer, int messageOffset, int messageLength,
                     ContainerLogFormat format) {
}

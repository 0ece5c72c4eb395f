package io.logpipe.testkit;

/** A started test broker, whichever backend it is. */
interface RunningKafka extends AutoCloseable {
    String bootstrapServers();

    @Override
    void close() throws Exception;
}

package io.logpipe.collector;

/** One configured source: reads on its own thread(s) from {@link #start()} until {@link #close()}. */
public interface Source extends AutoCloseable {

    String name();

    void start();

    /** Stops reading; records already handed to the publisher are acknowledged by it. */
    @Override
    void close();
}

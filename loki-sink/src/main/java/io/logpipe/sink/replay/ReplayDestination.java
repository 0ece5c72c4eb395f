package io.logpipe.sink.replay;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where {@link TopicReplay} sends the records it selected. */
public interface ReplayDestination extends AutoCloseable {

    /** Takes one record; returns false when the destination had to leave it out (the reason is reported). */
    boolean accept(ConsumerRecord<byte[], byte[]> record) throws Exception;

    /** Sends whatever is still buffered. */
    @Override
    void close() throws Exception;
}

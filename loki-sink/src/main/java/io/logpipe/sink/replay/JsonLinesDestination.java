package io.logpipe.sink.replay;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Writes each record's value, one a line: the topics hold compact JSON, so the output is JSON
 * lines that {@code jq} or another {@code logpipe} can read back.
 */
public final class JsonLinesDestination implements ReplayDestination {
    private final OutputStream out;
    private final boolean closeStream;

    /** @param closeStream false for stdout, which the caller owns */
    public JsonLinesDestination(OutputStream out, boolean closeStream) {
        this.out = new BufferedOutputStream(out, 1 << 16);
        this.closeStream = closeStream;
    }

    @Override
    public boolean accept(ConsumerRecord<byte[], byte[]> record) throws IOException {
        if (record.value() == null) {
            return false;
        }
        out.write(record.value());
        out.write('\n');
        return true;
    }

    @Override
    public void close() throws IOException {
        out.flush();
        if (closeStream) {
            out.close();
        }
    }
}

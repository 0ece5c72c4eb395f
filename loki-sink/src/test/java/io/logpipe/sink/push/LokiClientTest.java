package io.logpipe.sink.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class LokiClientTest {

    /** With Nagle's algorithm on, every push of a large batch waited up to 40 ms for a delayed ACK. */
    @Test
    void everySocketThePusherOpensSendsWithoutNagle() throws Exception {
        LokiClient.NoDelaySocketFactory sockets = new LokiClient.NoDelaySocketFactory();
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
             Socket unconnected = sockets.createSocket();
             Socket byName = sockets.createSocket("localhost", server.getLocalPort());
             Socket byAddress = sockets.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            assertThat(unconnected.getTcpNoDelay()).isTrue();
            assertThat(byName.getTcpNoDelay()).isTrue();
            assertThat(byAddress.getTcpNoDelay()).isTrue();
        }
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDateAndIgnoredWhenUnreadable() {
        assertThat(LokiClient.retryAfter("7")).hasSeconds(7);
        assertThat(LokiClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isZero();
        assertThat(LokiClient.retryAfter("soon")).isNull();
        assertThat(LokiClient.retryAfter(null)).isNull();
    }
}

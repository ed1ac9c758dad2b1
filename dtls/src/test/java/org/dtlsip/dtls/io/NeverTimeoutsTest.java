package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * Timeouts of {@code Long.MAX_VALUE} mean never, at the engine and at the socket: the sum with
 * the clock once overflowed into the past, so the handshake failed at once (engine) or every
 * blocking call timed out at once (socket).
 */
class NeverTimeoutsTest {
    @Test
    void engineHandshakeTimeoutOfLongMaxValue_NeverFiresButRetransmissionsDo() {
        DtlsEngine client = DtlsEngine.client(
                TestKeys.clientPinning(TestKeys.ec()).handshakeTimeoutMillis(Long.MAX_VALUE).build(), 1_000);
        client.pollDatagram();
        long now = 1_000;
        for (int i = 0; i < 5; i++) {
            now = client.nextDeadline();
            client.handleTimeout(now);
        }
        assertEquals(DtlsEngine.Status.HANDSHAKING, client.status(), String.valueOf(client.failure()));
        assertEquals(5, client.retransmissions());
    }

    @Test
    void socketSoTimeoutOfLongMaxValue_WaitsInsteadOfTimingOut() throws Exception {
        try (DtlsSocket server = DtlsSocket.accept(DtlsChannelTest.ANY_LOOPBACK, TestKeys.server(TestKeys.ec()).build())) {
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                try {
                    server.write(server.read());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try (DtlsSocket client = DtlsSocket.connect(server.localAddress(), TestKeys.clientPinning(TestKeys.ec()).build())) {
                client.setSoTimeout(Long.MAX_VALUE);
                client.handshake();
                client.write(new byte[] {7});
                assertArrayEquals(new byte[] {7}, client.read());
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("Long.MAX_VALUE timed out at once", e);
            }
            echo.get(30, TimeUnit.SECONDS);
        }
    }
}

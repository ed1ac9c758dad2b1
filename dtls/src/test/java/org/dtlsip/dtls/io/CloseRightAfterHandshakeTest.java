package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12 item 10 at the socket and the channel: a server that closes as soon as its handshake
 * is done. The handshake call returns normally; the next read is end of stream; a write after
 * that is a clear "closed" error, not "handshake failed".
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CloseRightAfterHandshakeTest {
    /** Each repetition is a new association; before the fix every one of them failed. */
    static final int REPETITIONS = 5;

    static DtlsConfig client() {
        return TestKeys.clientPinning(TestKeys.ec()).build();
    }

    @Test
    void socketHandshakeCompletesWhenCloseNotifySharesTheDatagramOfTheServersFinished() throws Exception {
        try (ClosingServer server = new ClosingServer(TestKeys.server(TestKeys.ec()).build())) {
            for (int i = 0; i < REPETITIONS; i++) {
                try (DtlsSocket socket = DtlsSocket.connect(server.address(), client())) {
                    socket.setSoTimeout(10_000);
                    socket.handshake(); // before the fix: DtlsException "the association is closed"
                    assertNotNull(socket.session(), "handshake complete");
                    assertNull(socket.read(), "then end of stream");
                    assertTrue(socket.peerClosed());
                    assertEquals(-1, socket.read(ByteBuffer.allocate(100)), "and it stays at end of stream");
                    DtlsException write = assertThrows(DtlsException.class, () -> socket.write(new byte[] {1}));
                    assertTrue(write.getMessage().contains("the peer closed the association"), write.getMessage());
                }
            }
            assertEquals(REPETITIONS, server.closedAfterHandshake());
        }
    }

    @Test
    void channelHandshakeIsOkThenReadAndWriteSayClosed() throws Exception {
        try (ClosingServer server = new ClosingServer(TestKeys.server(TestKeys.ec()).build());
             Selector selector = Selector.open()) {
            for (int i = 0; i < REPETITIONS; i++) {
                try (DtlsChannel c = DtlsChannel.open(server.address(), client())) {
                    SelectionKey key = c.channel().register(selector, SelectionKey.OP_READ);
                    DtlsChannel.Status s;
                    int rounds = 0;
                    while ((s = c.handshake()) != DtlsChannel.Status.OK) {
                        assertTrue(s != DtlsChannel.Status.CLOSED && ++rounds < 1_000, "handshake stuck in " + s);
                        selector.select(Math.max(1, c.getTimeout() == DtlsChannel.NO_TIMEOUT ? 1_000 : c.getTimeout()));
                        selector.selectedKeys().clear();
                        if (c.getTimeout() == 0) {
                            c.handleTimeout();
                        }
                    }
                    assertNotNull(c.session());
                    assertTrue(c.closeNotifyReceived(), "the close came in the same datagram as the Finished");
                    assertEquals(DtlsChannel.Status.CLOSED, c.read(ByteBuffer.allocate(100)), "end of stream");
                    assertEquals(DtlsChannel.Status.OK, c.handshake(), "the handshake stays complete");
                    ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2});
                    assertEquals(DtlsChannel.Status.CLOSED, c.write(data));
                    assertEquals(2, data.remaining(), "nothing consumed");
                    key.cancel();
                }
                selector.selectNow(); // deregisters the cancelled key
            }
        }
    }

    /** Our public API on both ends: a DtlsSocket server that closes once its handshake returns. */
    @Test
    void socketAgainstAnAcceptingSocketThatClosesAtOnce() throws Exception {
        for (int i = 0; i < REPETITIONS; i++) {
            try (DtlsSocket server = DtlsSocket.accept(DtlsChannelTest.ANY_LOOPBACK, TestKeys.server(TestKeys.ec()).build())) {
                server.setSoTimeout(10_000);
                CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                    try {
                        server.handshake();
                        server.setCloseWaitMillis(0);
                        server.close();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                try (DtlsSocket socket = DtlsSocket.connect(server.localAddress(), client())) {
                    socket.setSoTimeout(10_000);
                    socket.handshake();
                    assertNotNull(socket.session());
                    assertNull(socket.read(), "the server's close_notify is end of stream");
                    assertTrue(socket.peerClosed());
                }
                serving.get(10, TimeUnit.SECONDS);
            }
        }
    }
}

package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DTLS 1.3 (RFC 9147) through the I/O entry points rather than the bare engine: the
 * non-blocking {@link DtlsChannel} on both ends, and the multi-peer {@link DtlsServer} (its
 * stateless HelloRetryRequest cookie, RFC 9147 5.1, then one association per peer); and a
 * client offering 1.3 and 1.2 against a 1.2-only server, which must settle on 1.2 (RFC 8446
 * 4.2.1).
 */
class Dtls13AdaptersTest {
    private static final CertifiedKey KEY = TestKeys.ec();

    private static DtlsConfig client(int... versions) {
        return TestKeys.clientPinning(KEY).protocols(versions).build();
    }

    private static DtlsConfig server(int... versions) {
        return TestKeys.server(KEY).protocols(versions).build();
    }

    /** An echo {@link DtlsServer} whose closed associations land in {@code closed} (null failure: close_notify). */
    private static DtlsServer echoServer(DtlsConfig config, BlockingQueue<String> closed) throws IOException {
        return DtlsServer.bind(DtlsChannelTest.ANY_LOOPBACK, config, ServerLimits.defaults(), new DtlsServer.Handler() {
            @Override
            public void onData(DtlsServer.Association a, byte[] data) {
                try {
                    a.send(data);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }

            @Override
            public void onClosed(DtlsServer.Association a, DtlsException failure) {
                closed.add(a.session().protocol() + (failure == null ? " close_notify" : " " + failure.getMessage()));
            }
        }).start();
    }

    /** Drives {@code c} to the end of its handshake, an echo of {@code message}, and an answered close_notify. */
    private static void handshakeEchoAndClose(DtlsChannel c, String message) throws IOException {
        try (Selector selector = Selector.open()) {
            c.channel().register(selector, SelectionKey.OP_READ);
            DtlsChannel.Status s;
            while ((s = c.handshake()) != DtlsChannel.Status.OK) {
                assertEquals(DtlsChannel.Status.WANT_READ, s);
                select(selector, c.getTimeout());
                if (c.getTimeout() == 0) {
                    c.handleTimeout();
                }
            }
            assertEquals(DtlsChannel.Status.OK, c.write(message.getBytes(StandardCharsets.UTF_8)));
            ByteBuffer in = ByteBuffer.allocate(DtlsChannel.RECEIVE_BUFFER);
            while ((s = c.read(in)) == DtlsChannel.Status.WANT_READ) {
                select(selector, 1_000);
            }
            assertEquals(DtlsChannel.Status.OK, s);
            in.flip();
            assertEquals(message, StandardCharsets.UTF_8.decode(in).toString());
            while ((s = c.shutdown()) == DtlsChannel.Status.WANT_READ) {
                select(selector, 1_000);
            }
            assertEquals(DtlsChannel.Status.OK, s);
            assertTrue(c.closeNotifyReceived(), "the server answered close_notify (RFC 8446 6.1)");
            assertEquals(DtlsChannel.Status.CLOSED, c.read(in));
        }
    }

    private static void select(Selector selector, long timeout) throws IOException {
        selector.select(timeout == DtlsChannel.NO_TIMEOUT ? 1_000 : Math.max(1, timeout));
        selector.selectedKeys().clear();
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void channelClientAndDtlsServerSpeakDtls13() throws Exception {
        BlockingQueue<String> closed = new LinkedBlockingQueue<>();
        try (DtlsServer server = echoServer(server(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2), closed);
             DtlsChannel c = DtlsChannel.open(server.localAddress(),
                     client(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2))) {
            handshakeEchoAndClose(c, "hello over 1.3");
            assertEquals("DTLSv1.3", c.session().protocol());
            assertTrue(c.session().isDtls13());
            assertEquals("DTLSv1.3 close_notify", closed.poll(5, TimeUnit.SECONDS));
            ServerStats stats = server.stats();
            assertEquals(1, stats.handshakesCompleted());
            assertEquals(0, stats.handshakesFailed());
            assertEquals(1, server.helloVerifyRequestsSent(), "one stateless HelloRetryRequest cookie (RFC 9147 5.1)");
            assertEquals(0, server.associationCount(), "the closed association left the table");
        }
    }

    /** Many 1.3 clients on one server port, driven by one Selector thread: each gets its own association. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void dtlsServerServesManyDtls13ClientsAtOnce() throws Exception {
        int n = 50;
        BlockingQueue<String> closed = new LinkedBlockingQueue<>();
        DtlsConfig config = client(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2);
        try (DtlsServer server = echoServer(server(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2), closed);
             Selector selector = Selector.open()) {
            List<DtlsChannelTest.Client> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                DtlsChannelTest.Client c = new DtlsChannelTest.Client(DtlsChannel.open(server.localAddress(), config), i);
                c.channel.channel().register(selector, SelectionKey.OP_READ, c);
                clients.add(c);
                c.step(null);
            }
            ByteBuffer in = ByteBuffer.allocate(DtlsChannel.RECEIVE_BUFFER);
            int done = 0;
            while (done < n) {
                long timeout = DtlsChannel.NO_TIMEOUT;
                for (DtlsChannelTest.Client c : clients) {
                    timeout = DtlsChannel.earlier(timeout, c.channel.getTimeout());
                }
                select(selector, timeout);
                done = 0;
                for (DtlsChannelTest.Client c : clients) {
                    if (c.channel.getTimeout() == 0) {
                        c.channel.handleTimeout();
                    }
                    c.step(in);
                    done += c.done ? 1 : 0;
                }
            }
            ServerStats stats = server.stats();
            assertEquals(n, stats.handshakesCompleted());
            assertEquals(0, stats.handshakesFailed());
            assertEquals(n, stats.associations());
            for (DtlsServer.Association a : server.associations()) {
                assertEquals("DTLSv1.3", a.session().protocol(), a.toString());
            }
            for (DtlsChannelTest.Client c : clients) {
                assertEquals("DTLSv1.3", c.channel.session().protocol());
                c.channel.close();
            }
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void acceptedChannelAndClientChannelSpeakDtls13() throws Exception {
        DatagramChannel listening = DatagramChannel.open().bind(DtlsChannelTest.ANY_LOOPBACK);
        try (DtlsChannel server = DtlsChannel.accept(listening, server(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2));
             DtlsChannel client = DtlsChannel.open((InetSocketAddress) listening.getLocalAddress(),
                     client(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2));
             Selector selector = Selector.open()) {
            assertNull(server.peer());
            server.channel().register(selector, SelectionKey.OP_READ, server);
            client.channel().register(selector, SelectionKey.OP_READ, client);
            while (server.handshake() != DtlsChannel.Status.OK | client.handshake() != DtlsChannel.Status.OK) {
                select(selector, DtlsChannel.earlier(server.getTimeout(), client.getTimeout()));
                for (DtlsChannel c : List.of(server, client)) {
                    if (c.getTimeout() == 0) {
                        c.handleTimeout();
                    }
                }
            }
            assertEquals("DTLSv1.3", server.session().protocol());
            assertEquals("DTLSv1.3", client.session().protocol());
            assertEquals(client.session().ianaCipherSuiteName(), server.session().ianaCipherSuiteName());
            assertEquals(1, server.helloVerifyRequests(), "the stateless HelloRetryRequest cookie first (RFC 9147 5.1)");

            ByteBuffer in = ByteBuffer.allocate(DtlsChannel.RECEIVE_BUFFER);
            assertEquals(DtlsChannel.Status.OK, client.write(new byte[] {1, 2, 3}));
            DtlsChannel.Status s;
            while ((s = server.read(in)) == DtlsChannel.Status.WANT_READ) {
                select(selector, 100);
            }
            assertEquals(DtlsChannel.Status.OK, s);
            assertArrayEquals(new byte[] {1, 2, 3}, java.util.Arrays.copyOf(in.array(), in.position()));
            in.clear();
            assertEquals(DtlsChannel.Status.OK, server.write(new byte[] {4, 5}));
            while ((s = client.read(in)) == DtlsChannel.Status.WANT_READ) {
                select(selector, 100);
            }
            assertEquals(DtlsChannel.Status.OK, s);
            assertArrayEquals(new byte[] {4, 5}, java.util.Arrays.copyOf(in.array(), in.position()));

            client.shutdown();
            in.clear();
            while ((s = server.read(in)) == DtlsChannel.Status.WANT_READ) {
                select(selector, 100);
            }
            assertEquals(DtlsChannel.Status.CLOSED, s);
            assertTrue(server.closeNotifyReceived());
            while ((s = client.shutdown()) == DtlsChannel.Status.WANT_READ) {
                select(selector, 100);
            }
            assertEquals(DtlsChannel.Status.OK, s);
            assertTrue(client.closeNotifyReceived(), "the server answered close_notify");
        }
    }

    /** RFC 8446 4.2.1: the 1.2-only server ignores supported_versions; the client continues in 1.2 through the channel. */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void dtls13ChannelClientFallsBackToADtls12OnlyServer() throws Exception {
        BlockingQueue<String> closed = new LinkedBlockingQueue<>();
        try (DtlsServer server = echoServer(server(ProtocolVersion.DTLS_1_2), closed);
             DtlsChannel c = DtlsChannel.open(server.localAddress(),
                     client(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2))) {
            handshakeEchoAndClose(c, "hello over 1.2");
            assertEquals("DTLSv1.2", c.session().protocol());
            assertEquals("DTLSv1.2 close_notify", closed.poll(5, TimeUnit.SECONDS));
            assertEquals(1, server.helloVerifyRequestsSent(), "a HelloVerifyRequest (RFC 6347 4.2.1)");
        }
    }

    /** RFC 8446 4.2.1: the 1.2-only client reaches a server with both versions, which speaks 1.2. */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void dtls12ChannelClientIsServedDtls12ByADtls13Server() throws Exception {
        BlockingQueue<String> closed = new LinkedBlockingQueue<>();
        try (DtlsServer server = echoServer(server(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2), closed);
             DtlsChannel c = DtlsChannel.open(server.localAddress(), client(ProtocolVersion.DTLS_1_2))) {
            handshakeEchoAndClose(c, "hello from 1.2");
            assertEquals("DTLSv1.2", c.session().protocol());
            assertEquals("DTLSv1.2 close_notify", closed.poll(5, TimeUnit.SECONDS));
        }
    }

    /** The server's own client role ({@link DtlsServer#connect}) in DTLS 1.3, to an accepting channel. */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void dtlsServerConnectsOutInDtls13() throws Exception {
        DatagramChannel listening = DatagramChannel.open().bind(DtlsChannelTest.ANY_LOOPBACK);
        BlockingQueue<String> closed = new LinkedBlockingQueue<>();
        DtlsConfig both = TestKeys.peer(KEY)
                .peerVerifier(org.dtlsip.dtls.crypto.PeerVerifier.fingerprints(
                        List.of(org.dtlsip.dtls.crypto.Fingerprint.sha256(KEY.leaf()))))
                .protocols(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2).build();
        try (DtlsServer node = echoServer(both, closed);
             DtlsChannel peer = DtlsChannel.accept(listening, server(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2));
             Selector selector = Selector.open()) {
            DtlsServer.Association a = node.connect((InetSocketAddress) listening.getLocalAddress());
            peer.channel().register(selector, SelectionKey.OP_READ);
            DtlsChannel.Status s;
            while ((s = peer.handshake()) != DtlsChannel.Status.OK) {
                select(selector, peer.getTimeout());
                if (peer.getTimeout() == 0) {
                    peer.handleTimeout();
                }
            }
            assertEquals("DTLSv1.3", peer.session().protocol());
            assertEquals(DtlsChannel.Status.OK, peer.write("echo me".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer in = ByteBuffer.allocate(DtlsChannel.RECEIVE_BUFFER);
            while ((s = peer.read(in)) == DtlsChannel.Status.WANT_READ) {
                select(selector, 100);
            }
            assertEquals(DtlsChannel.Status.OK, s);
            in.flip();
            assertEquals("echo me", StandardCharsets.UTF_8.decode(in).toString());
            assertTrue(a.isEstablished());
            assertEquals("DTLSv1.3", a.session().protocol());
        }
    }
}

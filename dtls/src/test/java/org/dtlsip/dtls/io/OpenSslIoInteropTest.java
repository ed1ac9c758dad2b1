package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.interop.OpenSslPeer;
import org.dtlsip.dtls.interop.TestPki;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Both I/O disciplines and the multi-peer server against {@code openssl s_server}/{@code s_client -dtls1_2}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenSslIoInteropTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @BeforeEach
    void needsOpenSsl() {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static DtlsConfig pinning(TestPki.Material m) {
        return DtlsConfig.forClient().peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.sha256(m.certificate()))))
                .build();
    }

    @Test
    void blockingSocketClientAgainstOpenSslServer() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, key);
             DtlsSocket client = DtlsSocket.connect(new InetSocketAddress("127.0.0.1", port), pinning(key))) {
            client.setSoTimeout(10_000);
            client.write(utf8("hello from dtlsip socket\n")); // the first write runs the handshake
            server.awaitLine("hello from dtlsip socket"::equals, WAIT);
            server.sendLine("hello from openssl");
            assertArrayEquals(utf8("hello from openssl\n"), client.read());
            client.close();
            assertTrue(client.peerClosed(), "openssl answers close_notify");
            server.awaitLine("DONE"::equals, WAIT);
            assertEquals(0, server.awaitExit(WAIT));
        }
    }

    @Test
    void nonBlockingChannelClientAgainstOpenSslServerWithCookieExchange() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, key, "-listen");
             DtlsChannel client = DtlsChannel.open(new InetSocketAddress("127.0.0.1", port), pinning(key));
             Selector selector = Selector.open()) {
            client.channel().register(selector, SelectionKey.OP_READ);
            ByteBuffer out = ByteBuffer.wrap(utf8("hello from dtlsip channel\n"));
            DtlsChannel.Status s;
            while ((s = client.write(out)) != DtlsChannel.Status.OK) {
                await(selector, client, s);
            }
            server.awaitLine("hello from dtlsip channel"::equals, WAIT);
            server.sendLine("hello from openssl");
            ByteBuffer in = ByteBuffer.allocate(1024);
            while ((s = client.read(in)) != DtlsChannel.Status.OK) {
                await(selector, client, s);
            }
            assertEquals("hello from openssl\n", new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
            while ((s = client.shutdown()) != DtlsChannel.Status.OK) {
                await(selector, client, s);
            }
            assertTrue(client.closeNotifyReceived());
            assertEquals(0, server.awaitExit(WAIT));
        }
    }

    private static void await(Selector selector, DtlsChannel c, DtlsChannel.Status s) throws IOException {
        if (s == DtlsChannel.Status.CLOSED) {
            throw new AssertionError("closed unexpectedly");
        }
        c.channel().keyFor(selector).interestOps(c.interestOps());
        long t = c.getTimeout();
        selector.select(t == DtlsChannel.NO_TIMEOUT ? 1_000 : Math.max(1, t));
        selector.selectedKeys().clear();
        if (c.getTimeout() == 0) {
            c.handleTimeout();
        }
    }

    @Test
    void openSslClientAgainstAcceptingSocket() throws Exception {
        try (DtlsSocket server = DtlsSocket.accept(DtlsSocketTest.ANY_LOOPBACK, TestKeys.server(TestKeys.ec()).build())) {
            server.setSoTimeout(10_000);
            int port = server.localAddress().getPort();
            try (OpenSslPeer client = OpenSslPeer.client("127.0.0.1", port, List.of())) {
                CompletableFuture<byte[]> first = CompletableFuture.supplyAsync(() -> {
                    try {
                        return server.read(); // the first read accepts and handshakes
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                client.awaitLine(l -> l.startsWith("New, TLSv1.2, Cipher is"), WAIT);
                client.sendLine("hello from openssl");
                assertArrayEquals(utf8("hello from openssl\n"), first.get(10, TimeUnit.SECONDS));
                assertTrue(server.engine().session() != null);
                server.write(utf8("hello from dtlsip accepted socket\n"));
                client.awaitLine("hello from dtlsip accepted socket"::equals, WAIT);
                client.closeStdin(); // s_client sends close_notify
                assertNull(server.read(), "close_notify is end of stream");
                assertTrue(server.peerClosed());
                assertEquals(0, client.awaitExit(WAIT));
            }
        }
    }

    @Test
    void openSslClientAgainstAcceptingChannel() throws Exception {
        DatagramChannel listening = DatagramChannel.open().bind(DtlsSocketTest.ANY_LOOPBACK);
        int port = ((InetSocketAddress) listening.getLocalAddress()).getPort();
        try (DtlsChannel server = DtlsChannel.accept(listening, TestKeys.server(TestKeys.ec()).build());
             Selector selector = Selector.open();
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", port, List.of())) {
            server.channel().register(selector, SelectionKey.OP_READ);
            DtlsChannel.Status s;
            while ((s = server.handshake()) != DtlsChannel.Status.OK) {
                await(selector, server, s);
            }
            assertEquals(1, server.helloVerifyRequests(), "openssl's client went through our cookie exchange");
            client.awaitLine(l -> l.startsWith("New, TLSv1.2, Cipher is"), WAIT);
            client.sendLine("hello from openssl");
            ByteBuffer in = ByteBuffer.allocate(1024);
            while ((s = server.read(in)) != DtlsChannel.Status.OK) {
                await(selector, server, s);
            }
            assertEquals("hello from openssl\n", new String(in.array(), 0, in.position(), StandardCharsets.UTF_8));
            assertEquals(DtlsChannel.Status.OK, server.write(utf8("hello from dtlsip channel\n")));
            client.awaitLine("hello from dtlsip channel"::equals, WAIT);
            client.closeStdin();
            in.clear();
            while ((s = server.read(in)) == DtlsChannel.Status.WANT_READ) {
                await(selector, server, s);
            }
            assertEquals(DtlsChannel.Status.CLOSED, s);
            assertEquals(0, client.awaitExit(WAIT));
        }
    }

    @Test
    void openSslClientsAgainstTheMultiPeerServer() throws Exception {
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        DtlsServer.Handler handler = new DtlsServer.Handler() {
            @Override
            public void onHandshakeComplete(DtlsServer.Association a) {
                events.add("complete");
            }

            @Override
            public void onData(DtlsServer.Association a, byte[] data) {
                events.add("data " + new String(data, StandardCharsets.UTF_8).trim());
                try {
                    a.send(utf8("echo " + new String(data, StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }

            @Override
            public void onClosed(DtlsServer.Association a, DtlsException failure) {
                events.add(failure == null ? "closed" : "failed " + failure.getMessage());
            }
        };
        try (DtlsServer server = DtlsServer.bind(DtlsSocketTest.ANY_LOOPBACK, TestKeys.server(TestKeys.ec()).build(),
                handler).start()) {
            int port = server.localAddress().getPort();
            try (OpenSslPeer a = OpenSslPeer.client("127.0.0.1", port, List.of());
                 OpenSslPeer b = OpenSslPeer.client("127.0.0.1", port, List.of())) {
                a.awaitLine(l -> l.startsWith("New, TLSv1.2, Cipher is"), WAIT);
                b.awaitLine(l -> l.startsWith("New, TLSv1.2, Cipher is"), WAIT);
                a.sendLine("from a");
                b.sendLine("from b");
                a.awaitLine("echo from a"::equals, WAIT);
                b.awaitLine("echo from b"::equals, WAIT);
                a.closeStdin();
                b.closeStdin();
                assertEquals(0, a.awaitExit(WAIT));
                assertEquals(0, b.awaitExit(WAIT));
            }
            for (int i = 0; i < 100 && server.associationCount() > 0; i++) {
                Thread.sleep(20);
            }
            ServerStats s = server.stats();
            assertEquals(2, s.handshakesCompleted());
            assertEquals(0, s.associations(), "close_notify removed both");
            assertEquals(2, events.stream().filter("closed"::equals).count(), events.toString());
        }
    }
}

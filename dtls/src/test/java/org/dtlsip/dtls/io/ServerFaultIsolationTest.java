package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, fault isolation: an unexpected exception while serving one peer (a bug in the
 * server, its engine or the application's handler) costs that peer only. The server thread
 * keeps running, the exception is counted in {@link ServerStats}, and another peer's echo goes
 * on, on a real {@link DtlsServer} over loopback.
 */
class ServerFaultIsolationTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec()).build();

    /** A random source that fails while armed, as a broken entropy provider would. */
    static final class FailingRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        volatile boolean armed;

        @Override
        public void nextBytes(byte[] bytes) {
            if (armed) {
                throw new IllegalStateException("entropy source failed (test)");
            }
            super.nextBytes(bytes);
        }

        @Override
        public int nextInt(int bound) {
            if (armed) {
                throw new IllegalStateException("entropy source failed (test)");
            }
            return super.nextInt(bound);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void echoes(DtlsSocket client, String text) throws IOException {
        client.write(utf8(text));
        assertArrayEquals(utf8(text), client.read(10_000), "echo of " + text);
    }

    /** Waits, by polling the server's own counters, for {@code condition}; the test's @Timeout bounds it. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            Thread.sleep(5);
        }
    }

    /** Sends a first ClientHello, then the one with the server's cookie, from a socket of its own. */
    static void cookieVerifiedClientHello(InetSocketAddress server) throws IOException {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(LOOPBACK);
            ch.connect(server);
            DtlsEngine client = DtlsEngine.client(CLIENT, 0);
            ch.write(ByteBuffer.wrap(client.pollDatagram()));
            ByteBuffer in = ByteBuffer.allocate(2048);
            ch.read(in);
            client.receive(java.util.Arrays.copyOf(in.array(), in.position()), 1);
            ch.write(ByteBuffer.wrap(client.pollDatagram()));
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void InternalError_OnePeersFaultNeitherStopsTheLoopNorTouchesAnotherPeer() throws Exception {
        FailingRandom random = new FailingRandom();
        DtlsConfig config = TestKeys.server(TestKeys.ec()).connectionIdLength(4).random(random).build();
        try (DtlsServer server = DtlsServer.bind(LOOPBACK, config, ServerLimits.defaults(), (a, data) -> {
            try {
                a.send(data);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }).start(); DtlsSocket a = DtlsSocket.connect(server.localAddress(), CLIENT)) {
            echoes(a, "a before");

            // The server draws a connection ID for every association it creates: with its random
            // source broken, creating B's association throws inside the server.
            random.armed = true;
            cookieVerifiedClientHello(server.localAddress());
            await(() -> server.stats().internalErrors() == 1);
            assertTrue(server.loopAlive(), "the server thread survived the fault");
            echoes(a, "a during");
            random.armed = false;

            try (DtlsSocket b = DtlsSocket.connect(server.localAddress(), CLIENT)) {
                echoes(b, "b after");
            }
            echoes(a, "a after");
            ServerStats s = server.stats();
            assertEquals(1, s.internalErrors());
            assertEquals(0, s.evictions().values().stream().mapToLong(Long::longValue).sum());
            assertTrue(server.loopAlive());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void InternalError_AThrowingHandlerCostsOnlyItsCall() throws Exception {
        java.util.concurrent.atomic.AtomicInteger handshakes = new java.util.concurrent.atomic.AtomicInteger();
        DtlsServer.Handler handler = new DtlsServer.Handler() {
            @Override
            public void onHandshakeComplete(DtlsServer.Association association) {
                if (handshakes.incrementAndGet() == 2) {
                    throw new IllegalStateException("application bug on handshake (test)");
                }
            }

            @Override
            public void onData(DtlsServer.Association association, byte[] data) {
                if (new String(data, StandardCharsets.UTF_8).startsWith("boom")) {
                    throw new IllegalStateException("application bug on data (test)");
                }
                try {
                    association.send(data);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }
        };
        try (DtlsServer server = DtlsServer.bind(LOOPBACK, TestKeys.server(TestKeys.ec()).build(),
                ServerLimits.defaults(), handler).start();
             DtlsSocket a = DtlsSocket.connect(server.localAddress(), CLIENT)) {
            echoes(a, "a before");
            try (DtlsSocket b = DtlsSocket.connect(server.localAddress(), CLIENT)) {
                b.write(utf8("boom"));
                await(() -> server.stats().callbackErrors() == 2);
                echoes(a, "a between");
                echoes(b, "b still served");
            }
            echoes(a, "a after");
            assertTrue(server.loopAlive());
            assertEquals(0, server.stats().internalErrors());
        }
    }

    @Test
    void InternalError_FailsThatAssociationWithInternalErrorOnly() throws IOException {
        MemoryNet net = new MemoryNet(TestKeys.server(TestKeys.ec()).build(), ServerLimits.defaults());
        java.util.List<InetSocketAddress> peers = net.establish(1, 2, CLIENT);
        InetSocketAddress a = peers.get(0);
        InetSocketAddress b = peers.get(1);
        DtlsServer.Association atB = net.server.association(b);
        net.crashSendsTo.add(b);

        org.dtlsip.dtls.engine.DtlsException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.dtlsip.dtls.engine.DtlsException.class, () -> atB.send(utf8("to b")));
        assertEquals(org.dtlsip.dtls.engine.AlertDescription.INTERNAL_ERROR, e.alert());
        assertEquals(null, net.server.association(b), "the association with the fault is gone");
        assertTrue(net.recorder.closed.get(0).contains("internal error"), net.recorder.closed.toString());
        ServerStats s = net.server.stats();
        assertEquals(1, s.internalErrors());
        assertEquals(1, s.associations());
        DtlsServerLimitsTest.assertEstablishedAndEchoing(net, java.util.List.of(a));
    }
}

package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The return routability check (RFC 9853) at a real {@link DtlsServer} on loopback: a client
 * engine the test moves between two UDP sockets (a NAT rebinding), and an attacker's socket
 * that races copies of the client's records. The server's T is 100 ms here, so that a check
 * that fails does so within a second.
 */
class ReturnRoutabilityServerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** How long a socket read waits before the test concludes nothing more is coming. */
    private static final int QUIET_MILLIS = 1_500;
    private static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).connectionIdLength(4)
            .initialRetransmitMillis(100).build();
    private static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4).build();

    private final BlockingQueue<InetSocketAddress> moves = new LinkedBlockingQueue<>();
    private DtlsServer server;
    private InetSocketAddress serverAddress;
    private final List<DatagramSocket> sockets = new ArrayList<>();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @BeforeEach
    void start() throws IOException {
        server = DtlsServer.bind(new InetSocketAddress(LOOPBACK, 0), SERVER, ServerLimits.defaults(), new DtlsServer.Handler() {
            @Override
            public void onData(DtlsServer.Association association, byte[] data) {
                try {
                    association.send(data); // echo, to wherever the server believes the peer is
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            @Override
            public void onPeerAddressChanged(DtlsServer.Association association, InetSocketAddress previous) {
                moves.add(association.peer());
            }
        }).start();
        serverAddress = new InetSocketAddress(LOOPBACK, server.localAddress().getPort());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        for (DatagramSocket s : sockets) {
            s.close();
        }
    }

    private DatagramSocket socket() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        s.setSoTimeout(QUIET_MILLIS);
        sockets.add(s);
        return s;
    }

    private static InetSocketAddress address(DatagramSocket s) {
        return (InetSocketAddress) s.getLocalSocketAddress();
    }

    /** The next datagram on {@code s}, or {@code null} after {@link #QUIET_MILLIS} of silence. */
    private static byte[] read(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        try {
            s.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    /** A client engine driven by the test over whichever socket it is given. */
    private final class Client {
        final DtlsEngine engine = DtlsEngine.client(CLIENT, DtlsChannel.now());
        DatagramSocket socket;

        Client(DatagramSocket socket) {
            this.socket = socket;
        }

        void flush() throws IOException {
            byte[] d;
            while ((d = engine.pollDatagram()) != null) {
                socket.send(new DatagramPacket(d, d.length, serverAddress));
            }
            DtlsEngine.PathDatagram p;
            while ((p = engine.pollPathDatagram()) != null) {
                socket.send(new DatagramPacket(p.datagram(), p.datagram().length, (InetSocketAddress) p.path()));
            }
        }

        /** Feeds one datagram the socket received to the engine and sends what it answers. */
        void feed(byte[] d) throws IOException {
            engine.receive(d, 0, d.length, serverAddress, DtlsChannel.now());
            flush();
        }

        void handshake() throws IOException {
            flush();
            for (int i = 0; i < 50 && engine.status() == DtlsEngine.Status.HANDSHAKING; i++) {
                byte[] d = read(socket);
                if (d == null) {
                    engine.handleTimeout(DtlsChannel.now());
                    flush();
                } else {
                    feed(d);
                }
            }
            assertEquals(DtlsEngine.Status.ESTABLISHED, engine.status(), () -> "handshake: " + engine.failure());
        }

        /** The next application record on the socket, skipping anything else. */
        byte[] readData() throws IOException {
            for (int i = 0; i < 10; i++) {
                byte[] d = read(socket);
                if (d == null) {
                    return null;
                }
                feed(d);
                byte[] data = engine.pollApplicationData();
                if (data != null) {
                    return data;
                }
            }
            return null;
        }

        byte[] record(String text) throws Exception {
            engine.send(utf8(text));
            return engine.pollDatagram();
        }
    }

    @Test
    void RRC_RealServer_NatRebinding_MovesOnlyAfterPathResponse() throws Exception {
        DatagramSocket first = socket();
        DatagramSocket second = socket();
        Client c = new Client(first);
        c.handshake();
        c.engine.send(utf8("one"));
        c.flush();
        assertArrayEquals(utf8("one"), c.readData());

        c.socket = second; // the NAT rebinds
        c.engine.send(utf8("two"));
        c.flush();
        byte[] challenge = read(second);
        assertNotNull(challenge, "RFC 9853 5.1: a path_challenge to the new address");
        assertNotNull(server.association(address(first)), "no move before path_response");
        assertNull(server.association(address(second)));
        byte[] echo = read(first);
        assertNotNull(echo, "until validated, the echo of 'two' goes to the old address");

        c.feed(challenge); // the engine answers path_response from the new address
        InetSocketAddress moved = moves.poll(5, TimeUnit.SECONDS);
        assertEquals(address(second), moved);
        DtlsServer.Association a = server.association(address(second));
        assertNotNull(a);
        assertNull(server.association(address(first)));
        assertEquals(1, server.stats().peerAddressChanges());
        a.send(utf8("three"));
        assertArrayEquals(utf8("three"), c.readData());
    }

    @Test
    void RRC_RealServer_SpoofedCopy_NoResponseNoMove() throws Exception {
        DatagramSocket home = socket();
        DatagramSocket attacker = socket();
        Client c = new Client(home);
        c.handshake();
        byte[] genuine = c.record("mine");
        attacker.send(new DatagramPacket(genuine, genuine.length, serverAddress)); // wins the race
        home.send(new DatagramPacket(genuine, genuine.length, serverAddress));

        List<byte[]> toAttacker = new ArrayList<>();
        byte[] d;
        while ((d = read(attacker)) != null) {
            toAttacker.add(d);
        }
        assertTrue(toAttacker.size() >= 1 && toAttacker.size() <= 3, "challenges: " + toAttacker.size());
        int bytes = toAttacker.stream().mapToInt(b -> b.length).sum();
        assertTrue(bytes <= 3 * genuine.length, bytes + " bytes to the spoofed source for " + genuine.length);
        assertArrayEquals(utf8("mine"), c.readData(), "the echo went home");
        assertNotNull(server.association(address(home)));
        assertNull(server.association(address(attacker)));
        assertEquals(0, server.stats().peerAddressChanges());
        assertTrue(server.stats().drops().getOrDefault(DropReason.REPLAY, 0L) >= 1, "the genuine copy came second");

        c.engine.send(utf8("still here"));
        c.flush();
        assertArrayEquals(utf8("still here"), c.readData());
    }

    @Test
    void RRC_RealServer_SpoofedCopyFromAnotherPeersAddress_NeitherMovesNorEvicts() throws Exception {
        DatagramSocket aliceSocket = socket();
        DatagramSocket bobSocket = socket();
        Client alice = new Client(aliceSocket);
        alice.handshake();
        Client bob = new Client(bobSocket);
        bob.handshake();
        byte[] genuine = alice.record("alice");
        bobSocket.send(new DatagramPacket(genuine, genuine.length, serverAddress)); // spoofed as bob
        aliceSocket.send(new DatagramPacket(genuine, genuine.length, serverAddress));

        assertArrayEquals(utf8("alice"), alice.readData());
        assertNotNull(server.association(address(aliceSocket)));
        assertNotNull(server.association(address(bobSocket)));
        assertEquals(0, server.stats().peerAddressChanges());
        bob.engine.send(utf8("bob"));
        bob.flush();
        assertArrayEquals(utf8("bob"), bob.readData(), "bob's association is untouched");
        assertEquals(2, server.associationCount());
    }
}

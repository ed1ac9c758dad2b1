package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The single-peer server channel ({@link DtlsChannel#accept}) with connection IDs and the
 * return routability check (RFC 9853), on loopback: a client engine the test drives over two
 * UDP sockets, and an attacker's socket that races a copy of a client record. The server's T
 * is 100 ms, so a check without an answer fails within a second.
 */
class ReturnRoutabilityChannelTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).connectionIdLength(4)
            .initialRetransmitMillis(100).build();
    private static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4).build();

    private final ByteBuffer in = ByteBuffer.allocate(DtlsChannel.RECEIVE_BUFFER);
    private final List<byte[]> serverReceived = new ArrayList<>();

    private static DatagramSocket socket() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        s.setSoTimeout(10);
        return s;
    }

    private static byte[] read(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        try {
            s.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(p.getData(), p.getLength());
    }

    /** Lets the server channel read, answer and run its timers for {@code millis}. */
    private void pump(DtlsChannel server, long millis) throws Exception {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            if (server.getTimeout() == 0) {
                server.handleTimeout();
            }
            in.clear();
            if (server.isHandshakeComplete()) {
                if (server.read(in) == DtlsChannel.Status.OK) {
                    in.flip();
                    byte[] data = new byte[in.remaining()];
                    in.get(data);
                    serverReceived.add(data);
                }
            } else {
                server.handshake();
            }
            Thread.sleep(2);
        }
    }

    private static void send(DtlsEngine client, DatagramSocket from, InetSocketAddress to) throws IOException {
        byte[] d;
        while ((d = client.pollDatagram()) != null) {
            from.send(new DatagramPacket(d, d.length, to));
        }
        DtlsEngine.PathDatagram p;
        while ((p = client.pollPathDatagram()) != null) {
            from.send(new DatagramPacket(p.datagram(), p.datagram().length, (InetSocketAddress) p.path()));
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void RRC_AcceptedChannel_SpoofedCopyDoesNotMove_RebindingMovesAfterPathResponse() throws Exception {
        DatagramChannel listening = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        InetSocketAddress serverAddress = (InetSocketAddress) listening.getLocalAddress();
        try (DtlsChannel server = DtlsChannel.accept(listening, SERVER);
                DatagramSocket home = socket();
                DatagramSocket attacker = socket();
                DatagramSocket rebound = socket()) {
            DtlsEngine client = DtlsEngine.client(CLIENT, DtlsChannel.now());
            send(client, home, serverAddress);
            for (int i = 0; i < 500 && !(client.status() == DtlsEngine.Status.ESTABLISHED && server.isHandshakeComplete()); i++) {
                pump(server, 5);
                byte[] d = read(home);
                if (d != null) {
                    client.receive(d, 0, d.length, serverAddress, DtlsChannel.now());
                }
                client.handleTimeout(DtlsChannel.now());
                send(client, home, serverAddress);
            }
            assertEquals(DtlsEngine.Status.ESTABLISHED, client.status());
            assertEquals(home.getLocalSocketAddress(), server.peer());
            assertTrue(server.session().returnRoutabilityCheck());

            // An attacker's copy of a genuine record wins the race from another address.
            client.send("mine".getBytes(StandardCharsets.UTF_8));
            byte[] genuine = client.pollDatagram();
            attacker.send(new DatagramPacket(genuine, genuine.length, serverAddress));
            home.send(new DatagramPacket(genuine, genuine.length, serverAddress));
            pump(server, 1_500);
            assertEquals(home.getLocalSocketAddress(), server.peer(), "no path_response from the attacker: no move");
            assertEquals(0, server.peerAddressChanges());
            assertEquals(1, serverReceived.size(), "the record was read once");
            int toAttacker = 0;
            int count = 0;
            byte[] d;
            while ((d = read(attacker)) != null) {
                toAttacker += d.length;
                count++;
            }
            assertTrue(count >= 1 && count <= 3, "challenges to the attacker: " + count);
            assertTrue(toAttacker <= 3 * genuine.length, toAttacker + " bytes for " + genuine.length);
            assertEquals(1, server.engine().pathValidationCounts().failed());

            // The client's NAT rebinds: the server challenges the new address, the client answers, it moves.
            client.send("moved".getBytes(StandardCharsets.UTF_8));
            send(client, rebound, serverAddress);
            pump(server, 50);
            assertEquals(home.getLocalSocketAddress(), server.peer(), "not before the path_response");
            byte[] challenge = null;
            for (int i = 0; i < 100 && challenge == null; i++) {
                challenge = read(rebound);
            }
            client.receive(challenge, 0, challenge.length, serverAddress, DtlsChannel.now());
            send(client, rebound, serverAddress);
            pump(server, 200);
            assertEquals(rebound.getLocalSocketAddress(), server.peer());
            assertEquals(1, server.peerAddressChanges());
            assertArrayEquals("moved".getBytes(StandardCharsets.UTF_8), serverReceived.get(1));
        }
    }
}

package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * Connection IDs in DTLS 1.3 (RFC 9147 9) at the multi-peer server: a datagram whose first
 * record is a unified header with the C bit is routed by the ID whatever its source, and only a
 * fresh authenticated record under the ID moves the peer (RFC 9146 6). DTLS 1.3 agrees no
 * return routability check here (RFC 9853 is implemented for DTLS 1.2 only), so the peer moves
 * at once, as in DTLS 1.2 without rrc.
 */
class Dtls13ConnectionIdServerTest {
    private static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).connectionIdLength(6)
            .protocols(ProtocolVersion.DTLS_1_3).build();
    private static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4)
            .protocols(ProtocolVersion.DTLS_1_3).build();
    private static final InetSocketAddress A = MemoryNet.address(1);
    private static final InetSocketAddress B = MemoryNet.address(2);
    private static final InetSocketAddress ATTACKER = MemoryNet.address(66);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MemoryNet established() {
        MemoryNet net = new MemoryNet(SERVER, ServerLimits.defaults());
        net.establish(A.getAddress().getAddress()[3] - 1, 1, CLIENT);
        DtlsServer.Association a = net.server.association(A);
        assertNotNull(a);
        assertTrue(a.isEstablished());
        assertEquals("DTLSv1.3", a.session().protocol());
        assertEquals(6, a.session().connectionId().length);
        assertEquals(4, a.session().peerConnectionId().length);
        return net;
    }

    private static byte[] record(MemoryNet net, InetSocketAddress client, String text) throws IOException {
        DtlsEngine c = net.clients.get(client);
        c.send(bytes(text));
        return c.pollDatagram();
    }

    @Test
    void natRebindingMovesThePeerWithItsConnectionId() throws IOException {
        MemoryNet net = established();
        net.send(A, bytes("before"));
        assertArrayEquals(bytes("before"), net.received(A).get(0));

        net.move(A, B);
        net.send(B, bytes("after"));
        assertArrayEquals(bytes("after"), net.received(B).get(0), "the echo reached the new address");
        ServerStats stats = net.server.stats();
        assertEquals(1, stats.associations());
        assertEquals(1, stats.peerAddressChanges());
        assertNull(net.server.association(A));
        DtlsServer.Association moved = net.server.association(B);
        assertNotNull(moved);
        moved.send(bytes("from server"));
        net.run();
        assertArrayEquals(bytes("from server"), net.received(B).get(0));
    }

    @Test
    void forgedRecordFromAnotherAddressDoesNotMoveThePeer() throws IOException {
        MemoryNet net = established();
        byte[] forged = record(net, A, "genuine");
        assertEquals(0x30, forged[0] & 0xf0, "a unified header with the C bit");
        forged[forged.length - 1] ^= 1;
        net.server.receive(ATTACKER, forged, net.now);
        net.run();
        assertEquals(0, net.server.stats().peerAddressChanges());
        assertEquals(A, net.server.association(A).peer());
        assertNull(net.server.association(ATTACKER));
        assertEquals(1L, net.server.stats().drops(DropReason.BAD_RECORD_MAC));
        assertEquals(1, net.server.associationCount());
    }

    @Test
    void replayedOrOlderRecordFromAnotherAddressDoesNotMoveThePeer() throws IOException {
        MemoryNet net = established();
        byte[] older = record(net, A, "older");
        byte[] newer = record(net, A, "newer");
        net.server.receive(A, newer, net.now);
        net.run();

        net.server.receive(ATTACKER, newer, net.now); // a replay: the window drops it
        net.server.receive(ATTACKER, older, net.now); // genuine but not the newest: read, never a move
        net.run();
        assertEquals(0, net.server.stats().peerAddressChanges());
        assertEquals(A, net.server.association(A).peer());
        assertEquals(1L, net.server.stats().drops(DropReason.REPLAY));
        assertEquals(2, net.recorder.data.get(A).size(), "both genuine records reached the application");
    }

    @Test
    void unknownConnectionIdIsDroppedWithoutState() {
        MemoryNet net = established();
        byte[] junk = new byte[40];
        junk[0] = 0x3e; // 001 C=1 S=1 L=1, epoch bits 2
        junk[1 + 6 + 2 + 1] = 20; // length after a 6-byte ID and a 16-bit sequence number
        net.server.receive(ATTACKER, junk, net.now);
        assertEquals(1L, net.server.stats().drops(DropReason.UNKNOWN_CONNECTION_ID));
        assertEquals(1, net.server.associationCount());
    }
}

package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * The multi-peer server with connection IDs (RFC 9146) on the in-memory network: a peer whose
 * address changes keeps its association, and nothing but a fresh authenticated record under
 * its ID can move it.
 */
class ConnectionIdServerTest {
    private static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).connectionIdLength(6).build();
    private static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4).build();
    private static final InetSocketAddress A = MemoryNet.address(1);
    private static final InetSocketAddress B = MemoryNet.address(2);
    private static final InetSocketAddress ATTACKER = MemoryNet.address(66);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MemoryNet established(InetSocketAddress at) {
        return established(at, SERVER);
    }

    private static MemoryNet established(InetSocketAddress at, DtlsConfig server) {
        MemoryNet net = new MemoryNet(server, ServerLimits.defaults());
        net.establish(at.getAddress().getAddress()[3] - 1, 1, CLIENT);
        DtlsServer.Association a = net.server.association(at);
        assertNotNull(a);
        assertTrue(a.isEstablished());
        assertEquals(6, a.session().connectionId().length);
        return net;
    }

    /** One datagram of application data from the client, not yet delivered. */
    private static byte[] record(MemoryNet net, InetSocketAddress client, String text) throws IOException {
        DtlsEngine c = net.clients.get(client);
        c.send(bytes(text));
        return c.pollDatagram();
    }

    /**
     * RFC 9853 (rrc is agreed by default with connection IDs): the record from B is read, the
     * server sends a path_challenge to B, and the peer moves when its path_response arrives.
     * The echo of that record was sent before, to the address the peer was proven at (lost
     * here: the NAT dropped it); what the server sends afterwards reaches B.
     */
    @Test
    void CID_NatRebinding_AssociationFollowsThePeerOnceItAnswersAtTheNewAddress() throws IOException {
        MemoryNet net = established(A);
        net.send(A, bytes("before"));
        assertArrayEquals(bytes("before"), net.received(A).get(0));

        net.move(A, B);
        net.send(B, bytes("after"));
        assertArrayEquals(bytes("after"), net.recorder.data.get(A).get(1), "read at once, while the peer was still at A");
        assertTrue(net.received(B).isEmpty(), "the echo went to A, before the path_response from B");
        assertEquals(1, net.clients.get(B).pathValidationCounts().responsesSent(), "the client answered the challenge");
        ServerStats stats = net.server.stats();
        assertEquals(1, stats.associations());
        assertEquals(1, stats.peerAddressChanges());
        assertEquals(0, stats.pathValidationsFailed());
        assertNull(net.server.association(A));
        DtlsServer.Association moved = net.server.association(B);
        assertNotNull(moved);
        assertEquals(B, moved.peer());

        moved.send(bytes("from server"));
        net.run();
        assertArrayEquals(bytes("from server"), net.received(B).get(0));
    }

    /** Without rrc (a peer that does not offer it, RFC 9146 6 alone): the peer moves at once. */
    @Test
    void CID_WithoutRrc_NatRebinding_AssociationFollowsThePeerAtOnce() throws IOException {
        MemoryNet net = established(A, SERVER.toBuilder().returnRoutabilityCheck(false).build());
        net.send(A, bytes("before"));
        assertArrayEquals(bytes("before"), net.received(A).get(0));

        net.move(A, B);
        net.send(B, bytes("after"));
        assertArrayEquals(bytes("after"), net.received(B).get(0), "the echo reached the new address");
        assertEquals(0, net.clients.get(B).pathValidationCounts().responsesSent());
        ServerStats stats = net.server.stats();
        assertEquals(1, stats.associations());
        assertEquals(1, stats.peerAddressChanges());
        assertNull(net.server.association(A));
        DtlsServer.Association moved = net.server.association(B);
        assertNotNull(moved);
        assertEquals(B, moved.peer());

        // And the server can still start the talking.
        moved.send(bytes("from server"));
        net.run();
        assertArrayEquals(bytes("from server"), net.received(B).get(0));
    }

    @Test
    void CID_ForgedRecordFromAnotherAddress_DoesNotMoveThePeer() throws IOException {
        MemoryNet net = established(A);
        byte[] genuine = record(net, A, "genuine");
        byte[] forged = genuine.clone();
        forged[forged.length - 1] ^= 1;
        forged[10] += 7; // a sequence number ahead of everything, so only the MAC can reject it
        net.server.receive(ATTACKER, forged, net.now);
        net.run();
        assertEquals(0, net.server.stats().peerAddressChanges());
        assertEquals(A, net.server.association(A).peer());
        assertNull(net.server.association(ATTACKER));
        assertEquals(1L, net.server.stats().drops(DropReason.BAD_RECORD_MAC));
        assertEquals(1, net.server.associationCount());
    }

    @Test
    void CID_ReplayedOrOlderRecordFromAnotherAddress_DoesNotMoveThePeer() throws IOException {
        MemoryNet net = established(A);
        byte[] older = record(net, A, "older");
        byte[] newer = record(net, A, "newer");
        net.server.receive(A, newer, net.now);
        net.run();

        // A replay of a delivered record: the replay window drops it.
        net.server.receive(ATTACKER, newer, net.now);
        // A genuine record never delivered, but older than the newest: delivered, yet it must not move the peer.
        net.server.receive(ATTACKER, older, net.now);
        net.run();
        assertEquals(0, net.server.stats().peerAddressChanges());
        assertEquals(A, net.server.association(A).peer());
        assertEquals(1L, net.server.stats().drops(DropReason.REPLAY));
        assertEquals(2, net.recorder.data.get(A).size(), "both genuine records reached the application");
        assertEquals(2, net.received(A).size(), "echoes went to the old, proven address");
    }

    @Test
    void CID_UnknownId_DroppedWithoutState() {
        MemoryNet net = established(A);
        byte[] junk = new byte[40];
        junk[0] = 25;
        junk[1] = (byte) 0xfe;
        junk[2] = (byte) 0xfd;
        junk[4] = 1;
        junk[Record.CONNECTION_ID_OFFSET + 6 + 1] = 10;
        net.server.receive(ATTACKER, junk, net.now);
        assertEquals(1L, net.server.stats().drops(DropReason.UNKNOWN_CONNECTION_ID));
        assertEquals(1, net.server.associationCount());
    }

    /**
     * RFC 9146 6: a fresh, authenticated record under A's connection ID arriving from B's
     * address (an on-path attacker re-sourcing it, or a NAT that gave B's port to A while B's
     * association lives) must not end B's association: one datagram never destroys another
     * live association. Unsure which peer the address belongs to, the server keeps both and
     * does not move A; A moves there once the address is free.
     */
    @Test
    void CID_RecordFromAnotherLivePeersAddress_NeitherMovesNorEvicts() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, ServerLimits.defaults());
        net.establish(1, 2, CLIENT); // at addresses A and B
        DtlsServer.Association atA = net.server.association(A);
        DtlsServer.Association atB = net.server.association(B);

        net.server.receive(B, record(net, A, "from B's address"), net.now);
        net.run();
        ServerStats s = net.server.stats();
        assertEquals(2, s.associations());
        assertTrue(s.evictions().isEmpty(), s.evictions().toString());
        assertEquals(0, s.peerAddressChanges());
        assertEquals(1, s.addressChangesRefused());
        assertSame(atA, net.server.association(A), "A stays where it was proven");
        assertSame(atB, net.server.association(B), "B keeps its association");
        assertTrue(net.recorder.closed.isEmpty(), net.recorder.closed.toString());
        assertArrayEquals(bytes("from B's address"), net.received(A).get(0), "the authenticated record was delivered");
        DtlsServerLimitsTest.assertEstablishedAndEchoing(net, java.util.List.of(A, B));

        // B leaves; the address is free now. A copy of A's record from it is only a claim: the
        // server challenges B (RFC 9853) and nobody there answers, so A stays.
        net.clients.get(B).close();
        net.deliverFrom(B);
        net.clients.remove(B);
        assertNull(net.server.association(B));
        net.server.receive(B, record(net, A, "claimed"), net.now);
        net.run();
        net.advance(30_000);
        assertSame(atA, net.server.association(A));
        assertEquals(1, net.server.stats().pathValidationsFailed());
        // A's client really rebinds to B: it answers the challenge there and moves.
        net.move(A, B);
        net.send(B, bytes("moved"));
        assertSame(atA, net.server.association(B));
        assertEquals(1, net.server.stats().peerAddressChanges());
        assertTrue(net.server.stats().evictions().isEmpty());
    }

    /**
     * RFC 9853 8.1: an attacker races a copy of a genuine record from a free address. It is
     * fresh and authentic, so RFC 9146 6 alone would move the peer; with rrc the server only
     * challenges that address, within three times what came from it, and the peer stays.
     */
    @Test
    void RRC_SpoofedCopyFromAFreeAddress_IsChallengedAndDoesNotMove() throws IOException {
        MemoryNet net = established(A);
        byte[] genuine = record(net, A, "genuine");
        long before = net.datagramsToClients;
        net.server.receive(ATTACKER, genuine, net.now);
        net.server.receive(A, genuine, net.now);
        net.run();
        net.advance(30_000);
        ServerStats s = net.server.stats();
        assertEquals(0, s.peerAddressChanges());
        assertEquals(1, s.pathValidationsFailed());
        assertEquals(1L, s.drops(DropReason.REPLAY), "the genuine copy came second");
        assertSame(net.server.association(A), net.server.associations().get(0));
        assertNull(net.server.association(ATTACKER));
        assertTrue(net.largestToClient.get(ATTACKER) <= 3 * genuine.length);
        long toAttackerAndEcho = net.datagramsToClients - before;
        assertTrue(toAttackerAndEcho >= 2 && toAttackerAndEcho <= 4, "challenges (1-3) and one echo: " + toAttackerAndEcho);
        assertArrayEquals(bytes("genuine"), net.received(A).get(0), "the echo went to A");
    }
}

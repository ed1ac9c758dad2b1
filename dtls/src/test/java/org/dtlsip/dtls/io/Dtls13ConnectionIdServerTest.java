package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * Connection IDs in DTLS 1.3 (RFC 9147 9) at the multi-peer server: a datagram whose first
 * record is a unified header with the C bit is routed by the ID whatever its source, and only a
 * fresh authenticated record under the ID may move the peer (RFC 9146 6). With the return
 * routability check agreed in the hellos (RFC 9853 3, the default beside connection IDs) the
 * server first challenges the new address and moves on the path_response, as in DTLS 1.2;
 * without it the peer moves at once.
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
        return established(SERVER);
    }

    private static MemoryNet established(DtlsConfig server) {
        MemoryNet net = new MemoryNet(server, ServerLimits.defaults());
        net.establish(A.getAddress().getAddress()[3] - 1, 1, CLIENT);
        DtlsServer.Association a = net.server.association(A);
        assertNotNull(a);
        assertTrue(a.isEstablished());
        assertEquals("DTLSv1.3", a.session().protocol());
        assertEquals(6, a.session().connectionId().length);
        assertEquals(4, a.session().peerConnectionId().length);
        assertEquals(server.returnRoutabilityCheck(), a.session().returnRoutabilityCheck());
        assertEquals(server.returnRoutabilityCheck(), net.clients.get(A).session().returnRoutabilityCheck());
        return net;
    }

    private static byte[] record(MemoryNet net, InetSocketAddress client, String text) throws IOException {
        DtlsEngine c = net.clients.get(client);
        c.send(bytes(text));
        return c.pollDatagram();
    }

    /**
     * RFC 9853 with DTLS 1.3: the record from B is read at once, the server sends a
     * path_challenge (a return_routability_check record in epoch 3 with the client's ID) to B,
     * and the peer moves when the client's path_response arrives from B.
     */
    @Test
    void natRebindingMovesThePeerOnceItAnswersTheReturnRoutabilityCheck() throws IOException {
        MemoryNet net = established();
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

    /**
     * RFC 9853 8.1 with DTLS 1.3: a copy of a genuine, fresh record raced from a free address
     * would move the peer under RFC 9146 6 alone; with rrc the server only challenges that
     * address, within three times what came from it, and the peer stays.
     */
    @Test
    void spoofedCopyOfAFreshRecordIsChallengedAndDoesNotMoveThePeer() throws IOException {
        MemoryNet net = established();
        byte[] genuine = record(net, A, "genuine");
        net.server.receive(ATTACKER, genuine, net.now);
        net.server.receive(A, genuine, net.now);
        net.run();
        net.advance(30_000);
        ServerStats s = net.server.stats();
        assertEquals(0, s.peerAddressChanges());
        assertEquals(1, s.pathValidationsFailed());
        assertEquals(1L, s.drops(DropReason.REPLAY), "the genuine copy came second");
        assertEquals(A, net.server.association(A).peer());
        assertNull(net.server.association(ATTACKER));
        assertTrue(net.largestToClient.get(ATTACKER) <= 3 * genuine.length, "the anti-amplification limit (RFC 9853 2)");
        assertArrayEquals(bytes("genuine"), net.received(A).get(0), "the echo went to A");
        assertTrue(net.server.association(A).isEstablished());
    }

    /** Without rrc (RFC 9146 6 alone): the peer moves at once on a fresh authenticated record. */
    @Test
    void withoutReturnRoutabilityCheckNatRebindingMovesThePeerAtOnce() throws IOException {
        MemoryNet net = established(SERVER.toBuilder().returnRoutabilityCheck(false).build());
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

    /**
     * A unified header with the C bit cut off inside the ID (RFC 9147 4: the ID is as long as
     * the receiver chose), from elsewhere or from the peer's own address: dropped, the
     * association goes on.
     */
    @Test
    void truncatedConnectionIdIsDropped() throws IOException {
        MemoryNet net = established();
        byte[] genuine = record(net, A, "genuine");
        byte[] truncated = java.util.Arrays.copyOf(genuine, 4); // header byte and 3 of the 6 ID bytes
        net.server.receive(ATTACKER, truncated, net.now);
        net.server.receive(A, truncated, net.now);
        net.run();
        assertEquals(1, net.server.associationCount());
        assertNull(net.server.association(ATTACKER));
        assertTrue(net.server.association(A).isEstablished());
        assertEquals(0, net.server.stats().peerAddressChanges());
        net.server.receive(A, genuine, net.now);
        net.run();
        assertArrayEquals(bytes("genuine"), net.received(A).get(0), "the association still reads its peer");
    }

    /**
     * A peer that agreed no connection IDs (its client offered none): a record with the C bit
     * from its address or from elsewhere is dropped and moves nothing (RFC 9147 9: IDs only as
     * the hellos agreed), and the association goes on.
     */
    @Test
    void connectionIdRecordForAPeerWithoutConnectionIdsIsDropped() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, ServerLimits.defaults());
        net.establish(A.getAddress().getAddress()[3] - 1, 1,
                TestKeys.clientPinning(TestKeys.ec()).protocols(ProtocolVersion.DTLS_1_3).build());
        DtlsServer.Association a = net.server.association(A);
        assertTrue(a.isEstablished());
        assertNull(a.session().peerConnectionId());
        byte[] genuine = record(net, A, "genuine");
        assertEquals(0x20, genuine[0] & 0xf0, "a unified header without the C bit");
        byte[] withId = new byte[genuine.length + 6];
        withId[0] = (byte) (genuine[0] | 0x10);
        assertNull(a.session().connectionId());
        java.util.Arrays.fill(withId, 1, 7, (byte) 0x5a); // an ID of the server's length
        System.arraycopy(genuine, 1, withId, 7, genuine.length - 1);
        net.server.receive(ATTACKER, withId, net.now);
        net.server.receive(A, withId, net.now);
        net.run();
        assertEquals(1, net.server.associationCount());
        assertEquals(0, net.server.stats().peerAddressChanges());
        assertEquals(A, net.server.association(A).peer());
        assertTrue(net.received(A).isEmpty(), "nothing read from the altered record");
        net.server.receive(A, genuine, net.now);
        net.run();
        assertArrayEquals(bytes("genuine"), net.received(A).get(0), "the association still reads its peer");
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

    /**
     * Review of issue 14: once the ServerHello agreed connection IDs, every epoch-2 record of the
     * client carries one (its Certificate flight, before its Finished). A copy of the first one
     * raced from another address must not move a peer whose handshake is not complete: the
     * return routability check runs only once established (RFC 9853 5.1, RFC 9146 6).
     */
    @Test
    void aRacedCopyOfAHandshakeRecordDoesNotMoveThePeer() {
        CertifiedKey clientKey = TestKeys.rsa();
        DtlsConfig server = SERVER.toBuilder().clientAuth(DtlsConfig.ClientAuth.NEED)
                .peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.sha256(clientKey.leaf())))).build();
        DtlsConfig client = CLIENT.toBuilder().certifiedKey(clientKey).pmtu(400).build();
        MemoryNet net = new MemoryNet(server, ServerLimits.defaults());
        net.raceFirstConnectionIdDatagram(A, ATTACKER);
        net.establish(A.getAddress().getAddress()[3] - 1, 1, client);
        net.advance(10_000);
        assertTrue(net.server.association(A) != null && net.server.association(A).isEstablished(), "the handshake completed");
        assertEquals(0, net.server.stats().peerAddressChanges(), "no move on a handshake record");
        assertNull(net.server.association(ATTACKER));
    }
}

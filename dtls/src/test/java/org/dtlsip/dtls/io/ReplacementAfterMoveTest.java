package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * RFC 6347 4.2.8 meets RFC 9146 6: a new handshake began at the address of an established
 * association, and that association's peer then moved away under its connection ID. Whoever
 * completes the new handshake at the old address (a NAT hands the port to someone else) has
 * proven nothing about the peer that moved: it must not end that association.
 */
class ReplacementAfterMoveTest {
    private static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).connectionIdLength(6).build();
    private static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4).build();
    private static final InetSocketAddress A = MemoryNet.address(1);
    private static final InetSocketAddress B = MemoryNet.address(2);

    @Test
    void Rfc6347_4_2_8_NewHandshakeAtAnAddressThePeerLeft_DoesNotEndThePeersAssociation() throws Exception {
        StepNet net = new StepNet(SERVER);
        DtlsEngine peer = DtlsEngine.client(CLIENT, net.now);
        net.exchange(peer, A, A);
        assertEquals(DtlsEngine.Status.ESTABLISHED, peer.status());

        // Someone at A starts a handshake there: it waits beside the peer's association.
        DtlsEngine other = DtlsEngine.client(CLIENT, net.now);
        net.server.receive(A, other.pollDatagram(), net.now);
        for (byte[] r : net.takeReplies()) {
            other.receive(r, net.now);
        }
        net.server.receive(A, other.pollDatagram(), net.now); // with the cookie
        for (byte[] r : net.takeReplies()) {
            other.receive(r, net.now);
        }
        List<byte[]> held = new ArrayList<>();
        byte[] d;
        while ((d = other.pollDatagram()) != null) {
            held.add(d);
        }
        assertEquals(2, net.server.stats().associations());

        // The peer moves to B, proven by a fresh record under its connection ID and (RFC 9853,
        // agreed by default with connection IDs) by its answer to the path_challenge sent there.
        peer.send(new byte[] {1});
        net.server.receive(B, peer.pollDatagram(), net.now);
        for (byte[] r : net.takeReplies()) {
            peer.receive(r, net.now); // the challenge to B, and the echo of {1}, which went to A
        }
        while (peer.pollApplicationData() != null) {
            // that echo went to A: a peer at B would not have it
        }
        byte[] answer;
        while ((answer = peer.pollDatagram()) != null) {
            net.server.receive(B, answer, net.now);
        }
        net.takeReplies();
        assertNotNull(net.server.association(B), "the peer moved to B");

        // The other one completes its handshake at A.
        for (byte[] h : held) {
            net.server.receive(A, h, net.now);
        }
        for (byte[] r : net.takeReplies()) {
            other.receive(r, net.now);
        }
        assertEquals(DtlsEngine.Status.ESTABLISHED, other.status());

        DtlsServer.Association moved = net.server.association(B);
        assertNotNull(moved, "the peer's association at B was ended: " + net.recorder.closed);
        assertTrue(moved.isEstablished());
        assertNotNull(net.server.association(A), "the new association at A");
        assertEquals(2, net.server.stats().associations(), net.server.associations().toString());
        peer.send(new byte[] {2});
        net.server.receive(B, peer.pollDatagram(), net.now);
        for (byte[] r : net.takeReplies()) {
            peer.receive(r, net.now);
        }
        assertEquals(2, peer.pollApplicationData()[0], "the peer at B is still served");
    }
}

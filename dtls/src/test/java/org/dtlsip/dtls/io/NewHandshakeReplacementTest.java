package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * RFC 6347 4.2.8: a cookie-verified ClientHello from the address of an established
 * association may start a new handshake, but the old association ends only once the new one
 * completes. A ClientHello captured and replayed while its cookie is valid proves nothing (the
 * cookie binds the address, not the sender), so until then the old association keeps working,
 * and keeps working if the new handshake fails or stalls.
 */
class NewHandshakeReplacementTest {
    private static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).build();
    private static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec()).build();
    private static final ServerLimits LIMITS = ServerLimits.defaults().withHandshakeDeadlineMillis(5_000);

    @Test
    void Rfc6347_4_2_8_ReplayedClientHelloWithAValidCookie_DoesNotEvictTheAssociation() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, LIMITS);
        InetSocketAddress peer = net.establish(1, 1, CLIENT).get(0);
        DtlsServer.Association old = net.server.association(peer);
        // A handshake attempt from the address that went no further than its cookie (or was captured there).
        byte[] withCookie = net.helloWithCookie(peer, CLIENT);

        for (int i = 0; i < 3; i++) {
            net.server.receive(peer, withCookie, net.now);
            net.run();
        }
        assertSame(old, net.server.association(peer), "the established association stays");
        assertTrue(old.isEstablished());
        DtlsServerLimitsTest.assertEstablishedAndEchoing(net, List.of(peer));
        assertEquals(0, net.server.stats().evictions(ServerStats.Eviction.REPLACED_BY_NEW_HANDSHAKE));
        assertEquals(2, net.server.stats().associations(), "the old one and the pending new handshake");
        assertTrue(net.recorder.closed.isEmpty(), net.recorder.closed.toString());

        // The replayed handshake never completes: at its deadline it goes, the old one stays.
        net.advance(LIMITS.handshakeDeadlineMillis() + 1);
        assertSame(old, net.server.association(peer));
        assertEquals(1, net.server.stats().associations());
        assertEquals(1, net.server.stats().evictions(ServerStats.Eviction.HANDSHAKE_DEADLINE));
        DtlsServerLimitsTest.assertEstablishedAndEchoing(net, List.of(peer));
    }

    @Test
    void Rfc6347_4_2_8_ReplayedClientHelloThatBeganTheAssociation_StartsNoNewHandshake() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, LIMITS);
        net.recordSent = true;
        InetSocketAddress peer = net.establish(1, 1, CLIENT).get(0);
        DtlsServer.Association old = net.server.association(peer);
        byte[] began = net.sentBy.get(peer).get(1); // the ClientHello that returned the cookie
        long toClient = net.datagramsToClients;

        net.server.receive(peer, began, net.now);
        net.run();
        assertSame(old, net.server.association(peer));
        assertEquals(1, net.server.stats().associations(), "no pending handshake: the random is the session's own");
        assertEquals(toClient, net.datagramsToClients, "nothing sent to the real peer");
        DtlsServerLimitsTest.assertEstablishedAndEchoing(net, List.of(peer));
    }

    @Test
    void Rfc6347_4_2_8_NewHandshakeThatFails_LeavesTheOldAssociationWorking() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, LIMITS);
        InetSocketAddress peer = net.establish(1, 1, CLIENT).get(0);
        DtlsServer.Association old = net.server.association(peer);
        DtlsEngine oldClient = net.clients.get(peer);

        // A new handshake from the same address whose client refuses the server's certificate.
        DtlsConfig refusing = TestKeys.clientPinning(TestKeys.rsa()).build();
        DtlsEngine newClient = net.client(peer, refusing);
        net.run();
        assertEquals(DtlsEngine.Status.FAILED, newClient.status(), "the new handshake failed");
        assertSame(old, net.server.association(peer));
        assertEquals(1, net.server.stats().associations());
        assertEquals(0, net.server.stats().evictions(ServerStats.Eviction.REPLACED_BY_NEW_HANDSHAKE));

        net.clients.put(peer, oldClient);
        DtlsServerLimitsTest.assertEstablishedAndEchoing(net, List.of(peer));
    }

    @Test
    void Rfc6347_4_2_8_NewHandshakeThatCompletes_ReplacesTheOldOneQuietly() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, LIMITS);
        InetSocketAddress peer = net.establish(1, 1, CLIENT).get(0);
        DtlsServer.Association old = net.server.association(peer);
        net.client(peer, CLIENT); // the peer restarted and lost its state
        net.run();

        DtlsServer.Association replacement = net.server.association(peer);
        assertNotSame(old, replacement);
        assertTrue(replacement.isEstablished());
        assertEquals(1, net.server.stats().evictions(ServerStats.Eviction.REPLACED_BY_NEW_HANDSHAKE));
        assertEquals(1, net.server.stats().associations());
        assertEquals(List.of(peer + ": replaced: the peer at " + peer + " completed a new handshake (RFC 6347 4.2.8)"),
                net.recorder.closed);
        assertEquals(2, net.recorder.completed.size());
        DtlsServerLimitsTest.assertEstablishedAndEchoing(net, List.of(peer));
    }

    @Test
    void Rfc6347_4_2_8_ARestartedPeerSupersedesAPendingReplayedHandshake() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, LIMITS);
        InetSocketAddress peer = net.establish(1, 1, CLIENT).get(0);
        DtlsServer.Association old = net.server.association(peer);
        net.server.receive(peer, net.helloWithCookie(peer, CLIENT), net.now); // a replay is pending
        net.run();
        assertEquals(2, net.server.stats().associations());

        net.client(peer, CLIENT); // the real peer restarts: another ClientHello random
        net.run();
        DtlsServer.Association now = net.server.association(peer);
        assertNotSame(old, now);
        assertTrue(now.isEstablished(), "the restarted peer did not wait for the replay's deadline");
        assertEquals(1, net.server.stats().associations());
        assertEquals(1, net.server.stats().evictions(ServerStats.Eviction.REPLACED_BY_NEW_HANDSHAKE));
        assertEquals(2, net.recorder.closed.size(), net.recorder.closed.toString());
        assertTrue(net.recorder.closed.get(0).contains("superseded"), net.recorder.closed.toString());
        assertTrue(net.recorder.closed.get(1).contains("replaced"), net.recorder.closed.toString());
        DtlsServerLimitsTest.assertEstablishedAndEchoing(net, List.of(peer));
    }
}

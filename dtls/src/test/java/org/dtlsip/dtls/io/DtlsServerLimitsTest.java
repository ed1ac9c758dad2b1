package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/** Limits, eviction, counters, PMTU and send errors of {@link DtlsServer}, on a virtual clock and network. */
class DtlsServerLimitsTest {
    static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).build();
    static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec()).build();

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void assertEstablishedAndEchoing(MemoryNet net, List<InetSocketAddress> peers) throws IOException {
        for (InetSocketAddress p : peers) {
            DtlsServer.Association a = net.server.association(p);
            assertNotNull(a, p + " lost its association");
            assertTrue(a.isEstablished(), p + " not established");
            net.send(p, utf8("ping " + p));
            List<byte[]> got = net.received(p);
            assertEquals(1, got.size(), p + " got no echo");
            assertArrayEquals(utf8("ping " + p), got.get(0));
        }
    }

    @Test
    void halfOpenFloodAtTheHandshakeLimitNeverEvictsEstablishedAssociations() throws IOException {
        ServerLimits limits = ServerLimits.defaults().withMaxAssociations(20).withMaxHandshakes(10)
                .withHandshakeDeadlineMillis(5_000);
        MemoryNet net = new MemoryNet(SERVER, limits);
        List<InetSocketAddress> established = net.establish(1, 8, CLIENT);
        assertEstablishedAndEchoing(net, established);

        for (int i = 0; i < 50; i++) {
            net.halfOpenClient(MemoryNet.address(1_000 + i), CLIENT);
        }
        net.run();
        ServerStats s = net.server.stats();
        assertEquals(10, s.handshakesInProgress(), "the handshake limit holds");
        assertEquals(18, s.associations());
        assertEquals(40, s.refusedAtLimit(), "the rest are refused, not swapped in");
        assertEquals(0, s.evictions().values().stream().mapToLong(Long::longValue).sum());
        assertEstablishedAndEchoing(net, established);

        // A legitimate client arriving now is refused too, but its retransmissions get in once
        // the half-open handshakes reach their deadline and are evicted.
        List<InetSocketAddress> late = net.establish(2_000, 2, CLIENT);
        assertEquals(10, net.server.handshakesInProgress());
        net.advance(5_000);
        s = net.server.stats();
        assertEquals(10, s.evictions(ServerStats.Eviction.HANDSHAKE_DEADLINE));
        assertEquals(0, s.evictions(ServerStats.Eviction.IDLE));
        net.advance(10_000);
        assertEstablishedAndEchoing(net, established);
        assertEstablishedAndEchoing(net, late);
        assertEquals(10, net.server.associationCount());
        assertEquals(0, net.server.handshakesInProgress());
    }

    @Test
    void aFullTableRefusesNewClientsRatherThanEvictingEstablishedOnes() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, ServerLimits.defaults().withMaxAssociations(5));
        List<InetSocketAddress> established = net.establish(1, 5, CLIENT);
        net.establish(100, 3, CLIENT);
        net.advance(3_000); // their retransmissions are refused as well
        assertEquals(5, net.server.associationCount());
        assertTrue(net.server.refusedAtLimit() >= 3);
        assertEstablishedAndEchoing(net, established);
    }

    @Test
    void idleEstablishedAssociationsAreClosedAndEvicted() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, ServerLimits.defaults().withIdleTimeoutMillis(60_000));
        List<InetSocketAddress> peers = net.establish(1, 2, CLIENT);
        net.advance(40_000);
        net.send(peers.get(0), utf8("keepalive"));
        net.advance(30_000);
        assertNotNull(net.server.association(peers.get(0)), "activity keeps it");
        assertNull(net.server.association(peers.get(1)), "idle for 60 s");
        assertTrue(net.clients.get(peers.get(1)).closeNotifyReceived(), "evicted with close_notify");
        assertEquals(1, net.server.stats().evictions(ServerStats.Eviction.IDLE));
        assertTrue(net.recorder.closed.get(0).contains("evicted: idle"), net.recorder.closed.toString());
    }

    @Test
    void aClosedAssociationsAddressCanHandshakeAgainAtOnce() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, ServerLimits.defaults());
        InetSocketAddress peer = net.establish(1, 1, CLIENT).get(0);
        net.clients.get(peer).close();
        net.deliverFrom(peer);
        assertNull(net.server.association(peer), "close_notify ends the association");
        assertTrue(net.recorder.closed.get(0).endsWith("close_notify"), net.recorder.closed.toString());
        net.client(peer, CLIENT);
        net.run();
        assertEstablishedAndEchoing(net, List.of(peer));
    }

    @Test
    void aNewHandshakeFromAnEstablishedPeersAddressReplacesItAfterTheCookie() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, ServerLimits.defaults());
        InetSocketAddress peer = net.establish(1, 1, CLIENT).get(0);
        DtlsServer.Association old = net.server.association(peer);
        net.client(peer, CLIENT); // the peer restarted and lost its state
        net.run();
        DtlsServer.Association now = net.server.association(peer);
        assertNotNull(now);
        assertTrue(now != old);
        assertEquals(1, net.server.stats().evictions(ServerStats.Eviction.REPLACED_BY_NEW_HANDSHAKE));
        assertEstablishedAndEchoing(net, List.of(peer));
    }

    @Test
    void cookielessHellosLeaveNoStateAndAreCounted() {
        MemoryNet net = new MemoryNet(SERVER, ServerLimits.defaults());
        byte[] hello = DtlsEngine.client(CLIENT, 0).pollDatagram();
        for (int i = 0; i < 1_000; i++) {
            net.server.receive(MemoryNet.address(i), hello, net.now);
        }
        net.server.receive(MemoryNet.address(1), new byte[] {1, 2, 3}, net.now);
        ServerStats s = net.server.stats();
        assertEquals(0, s.associations());
        assertEquals(1_000, s.helloVerifyRequests());
        assertEquals(1, s.drops(DropReason.MALFORMED_RECORD));
        assertEquals(0, net.server.timerQueueSize());
    }

    @Test
    void perAssociationPmtuBoundsEveryDatagramAndOversizedWritesAreRefused() throws IOException {
        DtlsConfig smallMtu = TestKeys.server(TestKeys.ec()).pmtu(400).build();
        MemoryNet net = new MemoryNet(smallMtu, ServerLimits.defaults());
        InetSocketAddress peer = net.establish(1, 1, TestKeys.clientPinning(TestKeys.ec()).pmtu(400).build()).get(0);
        assertTrue(net.largestToClient.get(peer) <= 400, "handshake datagrams " + net.largestToClient.get(peer));
        DtlsServer.Association a = net.server.association(peer);
        a.setPmtu(300);
        assertEquals(300, a.pmtu());
        int max = a.maxApplicationDataLength();
        DtlsException e = assertThrows(DtlsException.class, () -> a.send(new byte[max + 1]));
        assertTrue(e.getMessage().contains("does not fragment"), e.getMessage());
        net.largestToClient.clear();
        a.send(new byte[max]);
        assertEquals(300, (int) net.largestToClient.get(peer));
    }

    @Test
    void sendErrorsAreReportedNotSwallowed() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, ServerLimits.defaults());
        InetSocketAddress peer = net.establish(1, 1, CLIENT).get(0);
        IOException emsgsize = new IOException("Message too long");
        net.failSendsTo.put(peer, emsgsize);
        IOException thrown = assertThrows(IOException.class, () -> net.server.association(peer).send(utf8("x")));
        assertSame(emsgsize, thrown);
        // On the server thread (here: answering the peer's close_notify) the error goes to the
        // handler and the counters.
        net.clients.get(peer).close();
        net.deliverFrom(peer);
        assertEquals(List.of(emsgsize), net.recorder.sendErrors);
        assertEquals(2, net.server.stats().sendErrors());
    }

    @Test
    void countersCoverHandshakesRetransmissionsAndDrops() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, ServerLimits.defaults());
        InetSocketAddress peer = net.establish(1, 1, CLIENT).get(0);
        net.server.receive(peer, new byte[] {23, (byte) 0xfe, (byte) 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 3, 1, 2, 3}, net.now);
        ServerStats s = net.server.logStats();
        assertEquals(1, s.handshakesCompleted());
        assertEquals(0, s.handshakesFailed());
        assertEquals(1, s.helloVerifyRequests());
        assertTrue(s.drops(DropReason.BAD_RECORD_MAC) + s.drops(DropReason.MALFORMED_RECORD) >= 1, s.toString());

        // A client that vanishes mid-handshake makes the server retransmit, then fail at the deadline.
        MemoryNet lossy = new MemoryNet(SERVER, ServerLimits.defaults().withHandshakeDeadlineMillis(10_000));
        lossy.halfOpenClient(MemoryNet.address(7), CLIENT);
        lossy.run();
        lossy.advance(20_000);
        ServerStats t = lossy.server.stats();
        assertTrue(t.retransmissions() >= 3, t.toString());
        assertEquals(1, t.evictions(ServerStats.Eviction.HANDSHAKE_DEADLINE));
        assertEquals(0, t.associations());
    }

    @Test
    void theTimerQueueStaysSmallUnderTraffic() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, ServerLimits.defaults());
        List<InetSocketAddress> peers = net.establish(1, 20, CLIENT);
        for (int round = 0; round < 50; round++) {
            for (InetSocketAddress p : peers) {
                net.send(p, utf8("r" + round));
                net.received(p);
            }
            net.advance(1_000);
        }
        assertTrue(net.server.timerQueueSize() <= 2 * peers.size(), "queue " + net.server.timerQueueSize());
    }

    /**
     * Associations that fail (here: clients that refuse the server's certificate) leave stale
     * timer entries, each holding its association and engine until its deadline; the queue
     * purges them once they outnumber the live ones, so a flood of failing handshakes cannot
     * pin memory for the length of the handshake deadline.
     */
    @Test
    void failedHandshakesLeaveNoTimersBehind() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, ServerLimits.defaults());
        InetSocketAddress live = net.establish(0, 1, CLIENT).get(0);
        DtlsConfig refusing = TestKeys.clientPinning(TestKeys.rsa()).build();
        for (int i = 1; i <= 500; i++) {
            net.client(MemoryNet.address(i), refusing);
            net.run();
        }
        ServerStats s = net.server.stats();
        assertEquals(1, s.associations());
        assertEquals(500, s.handshakesFailed());
        assertTrue(net.server.timerQueueSize() <= 2 * (1 + TimerQueue.PURGE_SLACK),
                "timer queue " + net.server.timerQueueSize());
        assertEstablishedAndEchoing(net, List.of(live));
    }
}

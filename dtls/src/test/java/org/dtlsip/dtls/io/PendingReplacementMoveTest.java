package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * A new handshake waiting to replace an established association (RFC 6347 4.2.8) whose
 * client sends its Finished under the new connection ID from another address (RFC 9146 6).
 * Any client can do that (a second source port is enough), so the server's tables must stay
 * consistent: the pending handshake does not move before it has replaced the old association,
 * and nothing of it is left behind at its first address once it ends.
 */
class PendingReplacementMoveTest {
    private static final int SERVER_CID = 6;
    private static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).connectionIdLength(SERVER_CID).build();
    private static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4).build();
    /** Datagrams per handshake pump: far more than a handshake needs, so a bug ends the loop, not the test run. */
    private static final int MAX_STEPS = 200;

    private record Packet(InetSocketAddress from, byte[] bytes) {
    }

    private long now = 1_000_000;
    private final ArrayDeque<Packet> toServer = new ArrayDeque<>();
    private final List<byte[]> toClient = new ArrayList<>();
    private final MemoryNet.Recorder recorder = new MemoryNet.Recorder();
    private final DtlsServer server = DtlsServer.inMemory(SERVER, ServerLimits.defaults(), recorder, (d, to) -> {
        byte[] b = new byte[d.remaining()];
        d.get(b);
        toClient.add(b);
        return true;
    }, () -> now);

    /**
     * Runs {@code client} against the server: each of its datagrams is split into records,
     * those under a connection ID sent from {@code cidFrom}, the others from {@code from}; every
     * reply reaches the client wherever it went (the client is reachable at both addresses).
     */
    private void pump(DtlsEngine client, InetSocketAddress from, InetSocketAddress cidFrom) {
        for (int step = 0; step < MAX_STEPS; step++) {
            byte[] d;
            while ((d = client.pollDatagram()) != null) {
                for (byte[] record : records(d)) {
                    toServer.add(new Packet(record[0] == ContentType.TLS12_CID.code ? cidFrom : from, record));
                }
            }
            Packet p = toServer.poll();
            if (p == null && toClient.isEmpty()) {
                return;
            }
            if (p != null) {
                server.receive(p.from(), p.bytes(), now);
            }
            List<byte[]> replies = new ArrayList<>(toClient);
            toClient.clear();
            for (byte[] r : replies) {
                client.receive(r, now);
            }
        }
        throw new AssertionError("the exchange did not settle within " + MAX_STEPS + " steps");
    }

    /** The records of a client datagram (the client's records carry the server's connection ID). */
    private static List<byte[]> records(byte[] d) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at + 13 <= d.length) {
            int header = d[at] == ContentType.TLS12_CID.code ? 13 + SERVER_CID : 13;
            int length = ((d[at + header - 2] & 0xff) << 8) | (d[at + header - 1] & 0xff);
            int end = Math.min(d.length, at + header + length);
            byte[] r = new byte[end - at];
            System.arraycopy(d, at, r, 0, r.length);
            out.add(r);
            at = end;
        }
        return out;
    }

    @Test
    void Rfc9146_6_PendingNewHandshakeFinishedFromAnotherAddress_LeavesNothingBehind() throws Exception {
        for (int round = 0; round < 3; round++) {
            InetSocketAddress first = MemoryNet.address(10 * round + 1);
            InetSocketAddress second = MemoryNet.address(10 * round + 2);
            DtlsEngine old = DtlsEngine.client(CLIENT, now);
            pump(old, first, first);
            assertEquals(DtlsEngine.Status.ESTABLISHED, old.status());
            DtlsServer.Association established = server.association(first);
            assertNotNull(established);

            // The peer "restarts" at the same address and finishes from a second one.
            DtlsEngine restarted = DtlsEngine.client(CLIENT, now);
            pump(restarted, first, second);
            assertEquals(DtlsEngine.Status.ESTABLISHED, restarted.status(), "the new handshake completed");
            assertEquals(1, server.stats().associations(), "the new association replaced the old one, once: "
                    + server.associations());
            assertTrue(recorder.closed.stream().anyMatch(s -> s.contains("replaced")), recorder.closed.toString());

            // It ends; the server holds nothing for this peer any more, at either address.
            restarted.close();
            pump(restarted, second, second);
            assertEquals(0, server.stats().associations(), "nothing left behind: " + server.associations());
            assertEquals(0, server.handshakesInProgress());
        }

        // And a new peer at a used address is served as any other.
        InetSocketAddress first = MemoryNet.address(1);
        DtlsEngine fresh = DtlsEngine.client(CLIENT, now);
        pump(fresh, first, first);
        assertEquals(DtlsEngine.Status.ESTABLISHED, fresh.status());
        assertSame(server.association(first), server.associations().get(0));
        assertEquals(1, server.stats().associations());
    }
}

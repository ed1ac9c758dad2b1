package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
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
    private static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).connectionIdLength(6).build();
    private static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4).build();

    @Test
    void Rfc9146_6_PendingNewHandshakeFinishedFromAnotherAddress_LeavesNothingBehind() {
        StepNet net = new StepNet(SERVER);
        DtlsServer server = net.server;
        for (int round = 0; round < 3; round++) {
            InetSocketAddress first = MemoryNet.address(10 * round + 1);
            InetSocketAddress second = MemoryNet.address(10 * round + 2);
            DtlsEngine old = DtlsEngine.client(CLIENT, net.now);
            net.exchange(old, first, first);
            assertEquals(DtlsEngine.Status.ESTABLISHED, old.status());
            assertNotNull(server.association(first));

            // The peer "restarts" at the same address and finishes from a second one.
            DtlsEngine restarted = DtlsEngine.client(CLIENT, net.now);
            net.exchange(restarted, first, second);
            assertEquals(DtlsEngine.Status.ESTABLISHED, restarted.status(), "the new handshake completed");
            assertEquals(1, server.stats().associations(), "the new association replaced the old one, once: "
                    + server.associations());
            assertTrue(net.recorder.closed.stream().anyMatch(s -> s.contains("replaced")), net.recorder.closed.toString());

            // It ends; the server holds nothing for this peer any more, at either address.
            restarted.close();
            net.exchange(restarted, second, second);
            assertEquals(0, server.stats().associations(), "nothing left behind: " + server.associations());
            assertEquals(0, server.handshakesInProgress());
        }

        // And a new peer at a used address is served as any other.
        InetSocketAddress first = MemoryNet.address(1);
        DtlsEngine fresh = DtlsEngine.client(CLIENT, net.now);
        net.exchange(fresh, first, first);
        assertEquals(DtlsEngine.Status.ESTABLISHED, fresh.status());
        assertSame(server.association(first), server.associations().get(0));
        assertEquals(1, server.stats().associations());
    }
}

package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * RFC 6347 4.2.8 from the attacker's side: a ClientHello captured with its cookie when the
 * peer first connected, replayed from the peer's address (the cookie stays valid for minutes).
 * It must not hold the real peer hostage: a genuine restart completes however the replay is
 * timed against it.
 */
class ReplayedClientHelloRestartTest {
    private static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).build();
    private static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec()).build();
    private static final InetSocketAddress PEER = MemoryNet.address(1);
    /** Records of a restarted client's handshake: ClientHello twice, then its second flight and an alert at most. */
    private static final int RESTART_RECORDS = 8;

    @Test
    void Rfc6347_4_2_8_ReplayedOriginalClientHello_DoesNotBlockAGenuineRestart() {
        // The replay lands after each record of the restarted peer in turn.
        for (int after = 1; after <= RESTART_RECORDS; after++) {
            StepNet net = new StepNet(SERVER);
            DtlsEngine first = DtlsEngine.client(CLIENT, net.now);
            net.exchange(first, PEER, PEER);
            assertEquals(DtlsEngine.Status.ESTABLISHED, first.status());
            byte[] withCookie = net.captured.get(1);
            DtlsServer.Association old = net.server.association(PEER);

            DtlsEngine restarted = DtlsEngine.client(CLIENT, net.now);
            int replayAfter = after;
            net.exchange(restarted, PEER, PEER, n -> {
                if (n == replayAfter) {
                    net.server.receive(PEER, withCookie, net.now);
                }
            });
            assertEquals(DtlsEngine.Status.ESTABLISHED, restarted.status(),
                    "replay after the restarted peer's record " + after + ": " + net.recorder.closed);
            assertNotSame(old, net.server.association(PEER), "replay after record " + after);
            assertTrue(net.server.association(PEER).isEstablished());
        }
    }
}

package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.DropReason;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's hostile inputs: a KeyUpdate flood (RFC 9147 8, RFC 8446 4.6.3). A peer may update
 * its keys as often as it likes, one outstanding at a time; each costs us one HKDF and a key
 * set-up and nothing accumulates (at most four read epochs, RFC 9147 4.2.2). Replays of one
 * KeyUpdate record are dropped by the replay window and move nothing.
 */
class Dtls13KeyUpdateFloodTest {
    private static final CertifiedKey KEY = TestKeys.ec();
    /** KeyUpdates in a row: a count, not a time. */
    private static final int UPDATES = 1_000;

    private static SimulatedNetwork established() {
        SimulatedNetwork net = Dtls13HandshakeTest.established(Dtls13HandshakeTest.client13(KEY).build(),
                Dtls13HandshakeTest.server13(KEY).build());
        net.runUntil(net.now() + 100);
        return net;
    }

    private static void dataStillFlows(SimulatedNetwork net, String text) throws Exception {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        int before = net.serverReceived().size();
        net.clientSend(data);
        net.runUntil(net.now() + 100);
        assertArrayEquals(data, net.serverReceived().get(before));
    }

    @Test
    void aThousandKeyUpdatesWithRequestsLeaveBothSidesEstablished() throws Exception {
        SimulatedNetwork net = established();
        for (int i = 0; i < UPDATES; i++) {
            int n = i;
            assertTrue(net.clientUpdateKeys(true), () -> "update " + n + " refused");
            net.runUntil(net.now() + 50);
        }
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.server().status());
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.client().status());
        dataStillFlows(net, "after " + UPDATES + " updates");
        assertEquals(0L, net.server().drops().getOrDefault(DropReason.BAD_RECORD_MAC, 0L), "every epoch's keys agreed");
    }

    @Test
    void replaysOfOneKeyUpdateRecordMoveNothing() throws Exception {
        SimulatedNetwork net = established();
        List<SimulatedNetwork.Datagram> before = new ArrayList<>(net.sent());
        assertTrue(net.clientUpdateKeys(false));
        net.runUntil(net.now() + 100);
        byte[] keyUpdate = null;
        for (SimulatedNetwork.Datagram d : net.sent()) {
            if (d.toServer() && !before.contains(d)) {
                keyUpdate = d.bytes();
                break;
            }
        }
        assertTrue(keyUpdate != null, "the client's KeyUpdate datagram");
        for (int i = 0; i < 10_000; i++) {
            net.inject(keyUpdate, true);
        }
        net.runUntil(net.now() + 100);
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.server().status());
        assertTrue(net.server().drops().getOrDefault(DropReason.REPLAY, 0L) >= 10_000, () -> "replays dropped: "
                + net.server().drops());
        dataStillFlows(net, "after the replays");
    }
}

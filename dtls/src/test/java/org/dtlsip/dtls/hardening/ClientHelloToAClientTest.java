package org.dtlsip.dtls.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.sim.SimulatedNetwork;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * An epoch-0 ClientHello that reaches an established client (a peer that restarted and opens a
 * new handshake, two stacks opening at once, or anyone spoofing the peer's address) is dropped:
 * epoch 0 is unauthenticated, so it must not end the association (docs/SECURITY.md).
 */
class ClientHelloToAClientTest {

    @Test
    void anEstablishedClientDropsAClientHelloAndKeepsWorking() throws Exception {
        SimulatedNetwork net = new SimulatedNetwork(TestKeys.clientPinning(TestKeys.ec()).build(),
                TestKeys.server(TestKeys.ec()).build(), SimulatedNetwork.Conditions.perfect(), 7);
        assertTrue(net.runHandshake(10_000));
        DtlsEngine stranger = DtlsEngine.client(DtlsConfig.forClient().build(), net.now());
        byte[] clientHello = stranger.pollDatagram();
        int sentBefore = net.sent().size();
        for (int i = 0; i < 3; i++) {
            net.inject(clientHello, false);
        }
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.client().status(), () -> String.valueOf(net.client().failure()));
        assertEquals(sentBefore, net.sent().size(), "no answer at all: no alert, no retransmitted flight");

        net.clientSend("still here".getBytes(StandardCharsets.UTF_8));
        net.runUntil(net.now() + 100);
        assertArrayEquals("still here".getBytes(StandardCharsets.UTF_8), net.serverReceived().get(0));
    }
}

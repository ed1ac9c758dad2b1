package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javax.sip.Dialog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Acceptance 2: many calls, one association, one full handshake. */
@Timeout(90)
class AssociationReuseTest {
    static final int CALLS = 100;

    @Test
    void hundredSequentialCallsShareOneHandshake() throws Exception {
        try (SipPeer alice = new SipPeer("alice"); SipPeer bob = new SipPeer("bob")) {
            for (int i = 0; i < CALLS; i++) {
                Dialog d = alice.call(bob, bob.advertised);
                alice.hangUp(d);
            }
            assertEquals(1, alice.processor().handshakesCompleted(), "client-side handshakes");
            assertEquals(1, bob.processor().handshakesCompleted(), "server-side handshakes");
            assertEquals(1, alice.processor().associationCount());
            assertEquals(1, bob.processor().associationCount());
        }
    }

    @Test
    void aCallSilentAfterItsAckKeepsItsAssociation() throws Exception {
        // ACK and responses get no answer, so silence after them is no sign of a dead peer
        // (DTLS_DEAD_PEER_MS counts only requests that must be answered).
        java.util.Properties p = new java.util.Properties();
        p.setProperty(DtlsSipProperties.DEAD_PEER_MS, "200");
        try (SipPeer alice = new SipPeer("alice", p); SipPeer bob = new SipPeer("bob", p)) {
            Dialog d = alice.call(bob, bob.advertised);
            Thread.sleep(1_000); // several dead-peer checks (every 50 ms here) with nothing to send
            assertEquals(0, alice.processor().deadPeerCloses());
            assertEquals(0, bob.processor().deadPeerCloses());
            alice.hangUp(d);
            assertEquals(1, alice.processor().handshakesCompleted(), "one association for the whole call");
        }
    }

    @Test
    void idleAssociationIsClosedAndReopenedOnNextSend() throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty(DtlsSipProperties.IDLE_TIMEOUT_MS, "300");
        try (SipPeer alice = new SipPeer("alice", p); SipPeer bob = new SipPeer("bob")) {
            alice.hangUp(alice.call(bob, bob.advertised));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (alice.processor().associationCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50); // polling a counter: there is no event to wait on
            }
            assertEquals(0, alice.processor().associationCount(), "closed after the idle time");
            alice.hangUp(alice.call(bob, bob.advertised));
            assertEquals(2, alice.processor().handshakesCompleted(), "a new handshake after the idle close");
        }
    }
}

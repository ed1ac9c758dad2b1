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
}

package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.Dialog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two stacks that call each other at the same moment: their ClientHellos cross (a relay holds
 * the first datagram each way until both are sent). One side yields (DtlsServer's tie-break),
 * its waiting INVITE moves to the association the peer opened, and both calls complete over
 * one association, with no transaction failed.
 */
@Timeout(60)
class SimultaneousOpenSipTest {
    @Test
    void callsPlacedAtTheSameMomentBothCompleteOverOneAssociation() throws Exception {
        Properties p = new Properties();
        // Neither side asks for client certificates: the side that yields asks anyway, since its
        // messages were meant for a server it would have authenticated.
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
        try (SipPeer alice = new SipPeer("alice", p); SipPeer bob = new SipPeer("bob", p);
                LossyRelay relay = new LossyRelay(new java.net.InetSocketAddress("127.0.0.1", alice.port()),
                        new java.net.InetSocketAddress("127.0.0.1", bob.port()), 0, 1)) {
            alice.advertised = relay.facingB();
            bob.advertised = relay.facingA();
            relay.crossFirstDatagrams();

            CompletableFuture<Dialog> aliceCalls = CompletableFuture.supplyAsync(() -> call(alice, bob));
            CompletableFuture<Dialog> bobCalls = CompletableFuture.supplyAsync(() -> call(bob, alice));
            Dialog fromAlice = aliceCalls.get(SipPeer.WAIT_SECONDS, TimeUnit.SECONDS);
            Dialog fromBob = bobCalls.get(SipPeer.WAIT_SECONDS, TimeUnit.SECONDS);
            alice.hangUp(fromAlice);
            bob.hangUp(fromBob);

            assertEquals(1, alice.processor().yieldedHandshakes() + bob.processor().yieldedHandshakes(),
                    "the ClientHellos crossed and exactly one side gave way");
            assertEquals(1, alice.processor().associationCount());
            assertEquals(1, bob.processor().associationCount());
            assertEquals(1, alice.processor().handshakesCompleted());
            assertEquals(1, bob.processor().handshakesCompleted());
            assertTrue(alice.ioExceptions.isEmpty() && bob.ioExceptions.isEmpty(), "no transport error");
            assertTrue(alice.timeouts.isEmpty() && bob.timeouts.isEmpty(), "no transaction timed out");
        }
    }

    private static Dialog call(SipPeer from, SipPeer to) {
        try {
            return from.call(to, to.advertised);
        } catch (Exception e) {
            throw new IllegalStateException(from.name + " could not call " + to.name, e);
        }
    }
}

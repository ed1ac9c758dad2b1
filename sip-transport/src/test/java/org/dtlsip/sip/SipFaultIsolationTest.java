package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sip.message.Request;
import org.dtlsip.dtls.engine.DtlsSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, fault isolation: an unexpected exception while the DTLS-UDP listening point handles
 * one peer ends at most that peer's association; every other peer keeps being served, and the
 * failing peer is not left with messages queued forever.
 */
@Timeout(60)
class SipFaultIsolationTest {
    private static InetSocketAddress address(SipPeer p) {
        return new InetSocketAddress("127.0.0.1", p.port());
    }

    @Test
    void anAssociationListenerThatThrowsForOnePeerNeitherStallsThatPeerNorStopsOthers() throws Exception {
        try (SipPeer bob = new SipPeer("bob"); SipPeer mallory = new SipPeer("mallory"); SipPeer alice = new SipPeer("alice")) {
            InetSocketAddress malloryAt = address(mallory);
            bob.processor().setAssociationListener(new DtlsMessageProcessor.AssociationListener() {
                @Override
                public void established(InetSocketAddress peer, DtlsSession session, boolean client) {
                    if (peer.equals(malloryAt)) {
                        throw new IllegalStateException("listener bug triggered by " + peer);
                    }
                }
            });
            // Bob's 200 to mallory must not wait behind a link that never opened.
            assertEquals(200, mallory.awaitFinal(mallory.send(mallory.request(Request.OPTIONS, bob))).getStatusCode());
            assertEquals(200, alice.awaitFinal(alice.send(alice.request(Request.OPTIONS, bob))).getStatusCode());
        }
    }

    @Test
    void anErrorWhileServingOnePeersRequestEndsOnlyThatPeersAssociation() throws Exception {
        Properties reentrant = new Properties();
        // The listener runs on the listening point's own thread, so what it throws passes through it.
        reentrant.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        try (SipPeer bob = new SipPeer("bob", reentrant); SipPeer mallory = new SipPeer("mallory");
                SipPeer alice = new SipPeer("alice")) {
            InetSocketAddress malloryAt = address(mallory);
            java.util.concurrent.BlockingQueue<String> failures = new java.util.concurrent.LinkedBlockingQueue<>();
            bob.processor().setAssociationListener(new DtlsMessageProcessor.AssociationListener() {
                @Override
                public void failed(InetSocketAddress peer, String reason) {
                    failures.add(peer + " " + reason);
                }
            });
            bob.admission = st -> {
                if (((javax.sip.header.FromHeader) st.getRequest().getHeader("From")).getAddress().getURI().toString()
                        .contains("mallory")) {
                    throw new AssertionError("fault triggered by " + malloryAt);
                }
                return true;
            };
            mallory.send(mallory.request(Request.OPTIONS, bob));
            bob.awaitRequest(Request.OPTIONS);
            String failure = failures.poll(SipPeer.WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(malloryAt + " DTLS-UDP association with 127.0.0.1:" + mallory.port()
                    + " ended by an internal error: java.lang.AssertionError: fault triggered by " + malloryAt, failure,
                    "the fault ended mallory's association, said why");
            assertTrue(bob.processor().faults() >= 1, "and was counted");
            assertEquals(200, alice.awaitFinal(alice.send(alice.request(Request.OPTIONS, bob))).getStatusCode(),
                    "another peer is still served");
            assertTrue(bob.processor().session(address(alice)) != null, "alice's association lives");
        }
    }
}

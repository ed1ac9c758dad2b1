package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that restarts on the same address without a close_notify (a crash) has lost the keys
 * and drops our records (RFC 6347 4.2.8 lets it): the client closes the association once a
 * request got nothing back for {@link DtlsSipProperties#DEAD_PEER_MS}, and the request's own
 * retransmission then runs a new handshake and gets its answer.
 */
@Timeout(60)
class PeerRestartTest {

    @Test
    void aClientRecoversFromAPeerThatRestartedWithoutItsState() throws Exception {
        Properties fast = new Properties();
        fast.setProperty(DtlsSipProperties.DEAD_PEER_MS, "1000");
        try (SipPeer alice = new SipPeer("alice", fast)) {
            SipPeer bob = new SipPeer("bob");
            int port = bob.port();
            try (LossyRelay net = new LossyRelay(alice.advertised, bob.advertised, 0, 1)) {
                assertEquals(200, alice.awaitFinal(alice.send(alice.request("OPTIONS", bob, net.facingA()))).getStatusCode());
                assertEquals(1, alice.processor().handshakesCompleted());

                net.cut(true); // bob's close_notify is lost: to alice this is a crash
                bob.close();
                net.cut(false);
                try (SipPeer bobAgain = new SipPeer("bob", new Properties(), port)) {
                    assertEquals(200, alice.awaitFinal(alice.send(alice.request("OPTIONS", bobAgain, net.facingA())))
                            .getStatusCode(), "answered after a new handshake");
                    assertEquals(1, alice.processor().deadPeerCloses());
                    assertEquals(2, alice.processor().handshakesCompleted());
                }
            }
        }
    }

    /** Alice opened the association to bob as a client; bob restarts and now sends alice a request. */
    private static void restartedPeerSendsFirst(Properties aliceProperties, boolean expectAnswer) throws Exception {
        try (SipPeer alice = new SipPeer("alice", aliceProperties)) {
            SipPeer bob = new SipPeer("bob");
            int port = bob.port();
            try (LossyRelay net = new LossyRelay(alice.advertised, bob.advertised, 0, 2)) {
                assertEquals(200, alice.awaitFinal(alice.send(alice.request("OPTIONS", bob, net.facingA()))).getStatusCode());
                net.cut(true);
                bob.close();
                net.cut(false);
                Properties quick = new Properties();
                quick.setProperty(DtlsSipProperties.HANDSHAKE_TIMEOUT_MS, "3000");
                try (SipPeer bobAgain = new SipPeer("bob", quick, port)) {
                    var sent = bobAgain.send(bobAgain.request("OPTIONS", alice, net.facingB()));
                    if (expectAnswer) {
                        assertEquals(200, bobAgain.awaitFinal(sent).getStatusCode());
                        assertEquals(1, alice.processor().associationCount(), "the new association replaced alice's");
                    } else {
                        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                                () -> bobAgain.awaitFinal(sent));
                        org.junit.jupiter.api.Assertions.assertTrue(String.valueOf(e.getCause()).contains("transport error"),
                                String.valueOf(e));
                    }
                }
            }
        }
    }

    @Test
    void withClientCertificatesRequiredARestartedPeerReplacesOurClientAssociation() throws Exception {
        Properties enabled = new Properties();
        enabled.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Enabled");
        restartedPeerSendsFirst(enabled, true);
    }

    @Test
    void withoutThemItsClientHelloCannotReplaceTheServerWeAuthenticated() throws Exception {
        restartedPeerSendsFirst(new Properties(), false);
    }

    @Test
    void aDeadPeerTimeoutMustBePositive() {
        Properties p = new Properties();
        p.setProperty(DtlsSipProperties.DEAD_PEER_MS, "0");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> new SipPeer("carol", p).close());
        String text = String.valueOf(e.getMessage()) + " " + e.getCause();
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("DTLS_DEAD_PEER_MS must be positive"), text);
    }
}

package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Alice opened an association to bob as a DTLS client; bob then restarts on the same address
 * without a close_notify (a crash), so he has lost the keys and drops alice's records (RFC 6347
 * 4.2.8 lets him). Whoever speaks first afterwards must get through.
 */
@Timeout(90)
class PeerRestartTest {

    private interface AfterRestart {
        void run(SipPeer alice, SipPeer bobAgain, LossyRelay net) throws Exception;
    }

    private static Properties properties(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    private static void bobRestarts(Properties aliceProperties, Properties bobAgainProperties, AfterRestart then)
            throws Exception {
        try (SipPeer alice = new SipPeer("alice", aliceProperties)) {
            SipPeer bob = new SipPeer("bob");
            int port = bob.port();
            try (LossyRelay net = new LossyRelay(alice.advertised, bob.advertised, 0, 1)) {
                assertEquals(200, alice.awaitFinal(alice.send(alice.request("OPTIONS", bob, net.facingA()))).getStatusCode());
                assertEquals(1, alice.processor().handshakesCompleted());
                net.cut(true); // bob's close_notify is lost: to alice this is a crash
                bob.close();
                net.cut(false);
                try (SipPeer bobAgain = new SipPeer("bob", bobAgainProperties, port)) {
                    then.run(alice, bobAgain, net);
                }
            }
        }
    }

    /**
     * Alice's next request gets nothing back; after {@link DtlsSipProperties#DEAD_PEER_MS} she
     * closes the association and the request's retransmission runs a new handshake.
     */
    @Test
    void aClientWhoseRequestGetsNoAnswerHandshakesAgain() throws Exception {
        bobRestarts(properties(DtlsSipProperties.DEAD_PEER_MS, "1000"), new Properties(), (alice, bobAgain, net) -> {
            assertEquals(200, alice.awaitFinal(alice.send(alice.request("OPTIONS", bobAgain, net.facingA())))
                    .getStatusCode(), "answered after a new handshake");
            assertEquals(1, alice.processor().deadPeerCloses());
            assertEquals(2, alice.processor().handshakesCompleted());
        });
    }

    /** Bob speaks first: with client certificates required his new handshake replaces alice's association. */
    @Test
    void withClientCertificatesRequiredTheRestartedPeerReplacesOurClientAssociation() throws Exception {
        bobRestarts(properties("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Enabled"), new Properties(),
                (alice, bobAgain, net) -> {
                    assertEquals(200, bobAgain.awaitFinal(bobAgain.send(bobAgain.request("OPTIONS", alice, net.facingB())))
                            .getStatusCode());
                    assertEquals(1, alice.processor().associationCount(), "the new association replaced alice's");
                });
    }

    /** Without them bob's ClientHello cannot swap the server alice authenticated for an unchecked client. */
    @Test
    void withoutThemTheRestartedPeersHandshakeIsIgnored() throws Exception {
        bobRestarts(new Properties(), properties(DtlsSipProperties.HANDSHAKE_TIMEOUT_MS, "3000"), (alice, bobAgain, net) -> {
            var sent = bobAgain.send(bobAgain.request("OPTIONS", alice, net.facingB()));
            Exception e = assertThrows(Exception.class, () -> bobAgain.awaitFinal(sent));
            assertTrue(String.valueOf(e.getCause()).contains("transport error"), String.valueOf(e));
        });
    }

    @Test
    void aDeadPeerTimeoutMustBePositive() {
        Exception e = assertThrows(Exception.class,
                () -> new SipPeer("carol", properties(DtlsSipProperties.DEAD_PEER_MS, "0")).close());
        String text = e.getMessage() + " " + e.getCause();
        assertTrue(text.contains("DTLS_DEAD_PEER_MS must be positive"), text);
    }
}

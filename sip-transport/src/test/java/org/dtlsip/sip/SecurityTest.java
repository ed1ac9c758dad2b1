package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sip.ClientTransaction;
import javax.sip.IOExceptionEvent;
import javax.sip.SipException;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Acceptance 4 (second half): policy and certificate failures end the transaction with an error event. */
@Timeout(60)
class SecurityTest {
    @Test
    void tlsSecurityPolicyRejectionIsAnIoExceptionEvent() throws Exception {
        Properties p = new Properties();
        p.setProperty("gov.nist.javax.sip.TLS_SECURITY_POLICY", RejectingPolicy.class.getName());
        try (SipPeer alice = new SipPeer("alice", p); SipPeer bob = new SipPeer("bob")) {
            ClientTransaction ct = alice.send(alice.request(Request.INVITE, bob));
            ExecutionException e = assertThrows(ExecutionException.class, () -> alice.awaitFinal(ct));
            assertTrue(e.getCause().getMessage().contains("transport error"), e.getCause().getMessage());
            IOExceptionEvent event = alice.ioExceptions.poll(1, TimeUnit.SECONDS);
            assertNotNull(event);
            assertEquals("DTLS-UDP", event.getTransport());
            assertEquals(bob.port(), event.getPort());
            // The reason travels with the event: with no SLF4J binding nothing else would show it.
            assertTrue(event instanceof DtlsIOExceptionEvent, event.getClass().getName());
            assertEquals("TLS security policy rejected DTLS peer 127.0.0.1:" + bob.port() + ": " + RejectingPolicy.REASON,
                    ((DtlsIOExceptionEvent) event).getMessage());
            X509Certificate seen = (X509Certificate) RejectingPolicy.seen.get()[0];
            assertTrue(seen.getSubjectX500Principal().getName().contains("CN=bob"), "the policy saw the peer chain");
            assertEquals(0, bob.requests.size(), "nothing reached bob");
        }
    }

    /** In DTLS 1.2 the server's verdict on the client's certificate ends the handshake itself. */
    @Test
    void untrustedCertificateFailsTheHandshakeWithAnIoExceptionEvent() throws Exception {
        String why = untrustedClientCertificate("DTLSv1.2");
        assertTrue(why.startsWith("DTLS association with 127.0.0.1:"), why);
        assertTrue(why.contains(" failed: handshake failed: "), why);
        // The reason, not just the failure: bob finds no path from mallory's self-signed
        // certificate to his trust anchors and says so with unknown_ca (RFC 5246 7.2.2).
        assertTrue(why.endsWith("received fatal alert unknown_ca"), why);
    }

    /**
     * In DTLS 1.3 the client's handshake is complete once it sends Finished (RFC 8446 4.4.4);
     * the server judges the client's certificate after that, so its unknown_ca ends the
     * connection rather than the handshake: the queued message fails with the same reason.
     */
    @Test
    void untrustedCertificateOverDtls13IsReportedWithTheServersAlert() throws Exception {
        String why = untrustedClientCertificate("DTLSv1.3");
        assertTrue(why.endsWith("received fatal alert unknown_ca"), why);
    }

    /** Mallory, self-signed, sends OPTIONS to bob over {@code protocol}; returns mallory's reason. */
    private static String untrustedClientCertificate(String protocol) throws Exception {
        Path[] mallory = TestPki.get().selfSigned("mallory");
        Properties p = new Properties();
        p.setProperty(DtlsSipProperties.CERTIFICATE_FILE, mallory[0].toString());
        p.setProperty(DtlsSipProperties.PRIVATE_KEY_FILE, mallory[1].toString());
        p.setProperty(DtlsSipProperties.PROTOCOLS, protocol);
        try (SipPeer m = new SipPeer("mallory", p); SipPeer bob = new SipPeer("bob")) {
            BlockingQueue<String> bobFailures = failures(bob);
            ClientTransaction ct = m.send(m.request(Request.OPTIONS, bob));
            assertThrows(ExecutionException.class, () -> m.awaitFinal(ct));
            IOExceptionEvent event = m.ioExceptions.poll(1, TimeUnit.SECONDS);
            assertNotNull(event);
            String why = ((DtlsIOExceptionEvent) event).getMessage();
            assertTrue(why.contains("127.0.0.1:" + bob.port()), why);
            assertEquals(0, bob.requests.size(), "nothing reached bob");
            String bobSays = bobFailures.poll(SipPeer.WAIT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(bobSays, "bob reports why");
            assertTrue(bobSays.contains("client certificate rejected") && bobSays.contains("sent fatal alert unknown_ca"), bobSays);
            return why;
        }
    }

    @Test
    void messageLargerThanOneRecordIsRefusedWithAnIoException() throws Exception {
        try (SipPeer alice = new SipPeer("alice"); SipPeer bob = new SipPeer("bob")) {
            Request message = alice.request(Request.MESSAGE, bob);
            ContentTypeHeader text = alice.headers.createContentTypeHeader("text", "plain");
            message.setContent("x".repeat(2_000), text);
            SipException e = assertThrows(SipException.class, () -> alice.send(message));
            Throwable cause = e.getCause();
            assertTrue(cause instanceof java.io.IOException, String.valueOf(cause));
            assertTrue(cause.getMessage().contains("is larger than the"), cause.getMessage());
        }
    }

    /** The reasons {@code peer}'s DTLS associations fail, as its processor reports them. */
    private static BlockingQueue<String> failures(SipPeer peer) {
        BlockingQueue<String> reasons = new LinkedBlockingQueue<>();
        peer.processor().setAssociationListener(new DtlsMessageProcessor.AssociationListener() {
            @Override
            public void failed(java.net.InetSocketAddress address, String reason) {
                reasons.add(reason);
            }
        });
        return reasons;
    }
}

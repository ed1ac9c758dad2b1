package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.ClientTransactionExt;
import gov.nist.javax.sip.ServerTransactionExt;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Acceptance 1 and 4 (first half): SIP call flows between two stacks over DTLS-UDP on loopback. */
@Timeout(60)
class CallFlowTest {
    static SipPeer alice;
    static SipPeer bob;

    @BeforeAll
    static void start() throws Exception {
        alice = new SipPeer("alice");
        bob = new SipPeer("bob");
    }

    @AfterAll
    static void stop() {
        alice.close();
        bob.close();
    }

    @Test
    void inviteRingingOkAckThenByeOk() throws Exception {
        alice.provisionals.clear();
        Request invite = alice.request(Request.INVITE, bob);
        invite.setContent(SipPeer.SDP, alice.headers.createContentTypeHeader("application", "sdp"));
        ClientTransactionExt ct = alice.send(invite);
        Response ok = alice.awaitFinal(ct);
        assertEquals(200, ok.getStatusCode());
        assertEquals(List.of(100, 180), alice.provisionals, "provisional responses in order");

        RequestEvent atBob = bob.awaitRequest(Request.INVITE);
        ViaHeader via = (ViaHeader) atBob.getRequest().getHeader(ViaHeader.NAME);
        assertEquals("DTLS-UDP", via.getTransport());
        assertEquals("127.0.0.1", via.getReceived());
        assertEquals(alice.port(), via.getRPort(), "rport is the DTLS source port");

        Dialog dialog = ct.getDialog();
        dialog.sendAck(dialog.createAck(((javax.sip.header.CSeqHeader) ok.getHeader("CSeq")).getSeqNumber()));
        bob.awaitRequest(Request.ACK);
        alice.hangUp(dialog);
        bob.awaitRequest(Request.BYE);
        assertTrue(alice.ioExceptions.isEmpty() && alice.timeouts.isEmpty());
    }

    @Test
    void cancelGets487() throws Exception {
        bob.holdInvites = true;
        try {
            Request invite = alice.request(Request.INVITE, bob);
            ClientTransactionExt ct = alice.send(invite);
            assertEquals(180, alice.awaitProvisional(ct).getStatusCode());
            ClientTransactionExt cancel = alice.send(ct.createCancel());
            assertEquals(200, alice.awaitFinal(cancel).getStatusCode());
            assertEquals(487, alice.awaitFinal(ct).getStatusCode());
        } finally {
            bob.holdInvites = false;
        }
    }

    @Test
    void reInvite() throws Exception {
        Dialog dialog = alice.call(bob, bob.advertised);
        Request reInvite = dialog.createRequest(Request.INVITE);
        reInvite.setContent(SipPeer.SDP, alice.headers.createContentTypeHeader("application", "sdp"));
        ClientTransactionExt ct = alice.sendInDialog(dialog, reInvite);
        Response ok = alice.awaitFinal(ct);
        assertEquals(200, ok.getStatusCode());
        dialog.sendAck(dialog.createAck(((javax.sip.header.CSeqHeader) ok.getHeader("CSeq")).getSeqNumber()));
        alice.hangUp(dialog);
    }

    @Test
    void optionsAndMessageWithBody() throws Exception {
        assertEquals(200, alice.awaitFinal(alice.send(alice.request(Request.OPTIONS, bob))).getStatusCode());
        bob.requests.clear();
        Request message = alice.request(Request.MESSAGE, bob);
        ContentTypeHeader text = alice.headers.createContentTypeHeader("text", "plain");
        message.setContent("hello over DTLS", text);
        assertEquals(200, alice.awaitFinal(alice.send(message)).getStatusCode());
        RequestEvent got = bob.awaitRequest(Request.MESSAGE);
        assertEquals("hello over DTLS", new String(got.getRequest().getRawContent(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void bobCanCallAliceBackOnTheSameAssociation() throws Exception {
        alice.awaitFinal(alice.send(alice.request(Request.OPTIONS, bob)));
        long before = alice.processor().handshakesCompleted() + bob.processor().handshakesCompleted();
        Dialog dialog = bob.call(alice, alice.advertised);
        bob.hangUp(dialog);
        assertEquals(before, alice.processor().handshakesCompleted() + bob.processor().handshakesCompleted(),
                "requests in the other direction reuse the association");
    }

    @Test
    void certificatesAndSuiteOnBothSides() throws Exception {
        bob.requests.clear();
        ClientTransactionExt ct = alice.send(alice.request(Request.OPTIONS, bob));
        alice.awaitFinal(ct);
        X509Certificate[] peer = java.util.Arrays.copyOf(ct.getPeerCertificates(), ct.getPeerCertificates().length,
                X509Certificate[].class);
        assertTrue(peer[0].getSubjectX500Principal().getName().contains("CN=bob"), peer[0].getSubjectX500Principal().getName());
        assertNotNull(ct.getLocalCertificates());
        // Both stacks speak DTLS 1.3 and 1.2 by default (issue 14): 1.3 and its suite name (RFC 8446 B.4).
        assertEquals("TLS_AES_128_GCM_SHA256", ct.getCipherSuite());
        assertFalse(ct.extractCertIdentities().isEmpty());

        ServerTransactionExt st = (ServerTransactionExt) bob.awaitRequest(Request.OPTIONS).getServerTransaction();
        X509Certificate client = (X509Certificate) st.getPeerCertificates()[0];
        assertTrue(client.getSubjectX500Principal().getName().contains("CN=alice"), "client certificate seen by the server");
        assertEquals(ct.getCipherSuite(), st.getCipherSuite());
    }
}

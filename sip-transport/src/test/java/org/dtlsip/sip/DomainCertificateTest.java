package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.ClientTransactionExt;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sip.Dialog;
import javax.sip.IOExceptionEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.RouteHeader;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RFC 5922 between two stacks with CA-issued domain certificates: a DTLS-UDP request reaches
 * a server only if its certificate names the SIP domain the request is sent to: the
 * Request-URI's host, or the Route's, never the address either resolves to.
 */
@Timeout(60)
class DomainCertificateTest {

    /** INVITE to sip:bob@{@code host}, 200, ACK, BYE, 200: a call that completes. */
    private static ClientTransactionExt callCompletes(SipPeer alice, SipPeer bob, String host) throws Exception {
        Request invite = alice.request(Request.INVITE, bob, host);
        ContentTypeHeader sdp = alice.headers.createContentTypeHeader("application", "sdp");
        invite.setContent(SipPeer.SDP, sdp);
        ClientTransactionExt ct = alice.send(invite);
        Response ok = alice.awaitFinal(ct);
        assertEquals(200, ok.getStatusCode());
        Dialog dialog = ct.getDialog();
        dialog.sendAck(dialog.createAck(((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber()));
        bob.awaitRequest(Request.ACK);
        alice.hangUp(dialog);
        return ct;
    }

    /** The INVITE never leaves: a DtlsIOExceptionEvent naming both names, nothing delivered. */
    private static String inviteIsRefused(SipPeer alice, SipPeer bob, Request invite) throws Exception {
        ClientTransactionExt ct = alice.send(invite);
        ExecutionException e = assertThrows(ExecutionException.class, () -> alice.awaitFinal(ct));
        assertTrue(e.getCause().getMessage().contains("transport error"), e.getCause().getMessage());
        IOExceptionEvent event = alice.ioExceptions.poll(5, TimeUnit.SECONDS);
        assertNotNull(event);
        String why = assertInstanceOf(DtlsIOExceptionEvent.class, event).getMessage();
        assertEquals(0, bob.requests.size(), "no request reached bob");
        return why;
    }

    @Test
    void sanUriForTheDomainCompletesTheCall() throws Exception {
        try (SipPeer alice = new SipPeer("alice"); SipPeer bob = new SipPeer("bob", new Properties(), 0,
                List.of("sip:localhost"))) {
            assertEquals(List.of("localhost"), callCompletes(alice, bob, "localhost").extractCertIdentities());
        }
    }

    @Test
    void dnsSanForTheDomainCompletesTheCall() throws Exception {
        try (SipPeer alice = new SipPeer("alice"); SipPeer bob = new SipPeer("bob", new Properties(), 0,
                List.of("localhost"))) {
            callCompletes(alice, bob, "localhost");
        }
    }

    @Test
    void certificateForAnotherDomainIsRefusedWithBadCertificate() throws Exception {
        try (SipPeer alice = new SipPeer("alice"); SipPeer bob = new SipPeer("bob", new Properties(), 0,
                List.of("sip:other.example", "localhost", "127.0.0.1"))) {
            String why = inviteIsRefused(alice, bob, alice.request(Request.INVITE, bob, "localhost"));
            // A DNS name and an address in the certificate do not count: it has a sip URI (7.1).
            assertTrue(why.contains("'localhost'") && why.contains("[other.example]"), why);
            assertTrue(why.contains("sent fatal alert bad_certificate"), why);
            assertEquals(0, bob.processor().handshakesCompleted(), "bob's handshake failed");
        }
    }

    @Test
    void aUserCertificateDoesNotPassForTheDomain() throws Exception {
        // sip:bob@localhost names the user bob, not the domain localhost (RFC 5922 7.1): anyone
        // with a user certificate from the trusted CA would otherwise impersonate the proxy.
        try (SipPeer alice = new SipPeer("alice"); SipPeer bob = new SipPeer("bob", new Properties(), 0,
                List.of("sip:bob@localhost"))) {
            String why = inviteIsRefused(alice, bob, alice.request(Request.INVITE, bob, "localhost"));
            assertTrue(why.contains("'localhost'") && why.contains("sent fatal alert bad_certificate"), why);
        }
    }

    @Test
    void theRouteHostIsTheDomainNotTheRequestUriNorTheAddress() throws Exception {
        try (SipPeer alice = new SipPeer("alice"); SipPeer proxy = new SipPeer("proxy", new Properties(), 0,
                List.of("sip:localhost"))) {
            Request invite = alice.request(Request.OPTIONS, proxy, "example.invalid");
            SipURI route = alice.addresses.createSipURI(null, "localhost");
            route.setPort(proxy.port());
            route.setTransportParam("dtls-udp");
            route.setLrParam();
            invite.addHeader((RouteHeader) alice.headers.createRouteHeader(alice.addresses.createAddress(route)));
            ClientTransactionExt ct = alice.send(invite);
            assertEquals(200, alice.awaitFinal(ct).getStatusCode(), "sent to localhost, checked for localhost");
            assertEquals(List.of("localhost"), ct.extractCertIdentities());
        }
        try (SipPeer alice = new SipPeer("alice"); SipPeer proxy = new SipPeer("proxy", new Properties(), 0,
                List.of("sip:example.invalid", "127.0.0.1"))) {
            Request invite = alice.request(Request.OPTIONS, proxy, "example.invalid");
            SipURI route = alice.addresses.createSipURI(null, "localhost");
            route.setPort(proxy.port());
            route.setTransportParam("dtls-udp");
            route.setLrParam();
            invite.addHeader((RouteHeader) alice.headers.createRouteHeader(alice.addresses.createAddress(route)));
            String why = inviteIsRefused(alice, proxy, invite);
            assertTrue(why.contains("'localhost'") && why.contains("[example.invalid]"), why);
        }
    }

    @Test
    void dialogRequestsToTheContactAddressReuseTheCheckedAssociation() throws Exception {
        // bob's Contact is 127.0.0.1, an address his certificate does not name: ACK and BYE
        // go over the association the INVITE opened for the domain, as RFC 5923 reuse does.
        try (SipPeer alice = new SipPeer("alice"); SipPeer bob = new SipPeer("bob", new Properties(), 0,
                List.of("sip:localhost"))) {
            callCompletes(alice, bob, "localhost");
            assertEquals(1, alice.processor().handshakesCompleted());
        }
    }

    @Test
    void verifyDomainFalseTurnsTheCheckOff() throws Exception {
        Properties off = new Properties();
        off.setProperty(DtlsSipProperties.VERIFY_DOMAIN, "false");
        try (SipPeer alice = new SipPeer("alice", off); SipPeer bob = new SipPeer("bob", new Properties(), 0,
                List.of("sip:other.example"))) {
            callCompletes(alice, bob, "localhost");
        }
    }

    @Test
    void pinnedFingerprintsNeedNoDomain() throws Exception {
        Properties pin = new Properties();
        try (SipPeer bob = new SipPeer("bob", new Properties(), 0, List.of("sip:other.example"))) {
            pin.setProperty(DtlsSipProperties.PEER_FINGERPRINTS, org.dtlsip.dtls.crypto.Fingerprint.format(
                    org.dtlsip.dtls.crypto.Fingerprint.sha256(bob.processor().dtlsConfig().certifiedKey().leaf())));
            try (SipPeer alice = new SipPeer("alice", pin)) {
                callCompletes(alice, bob, "localhost");
            }
        }
    }
}

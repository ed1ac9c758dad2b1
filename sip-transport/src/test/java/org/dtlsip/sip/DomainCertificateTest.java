package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.ClientTransactionExt;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sip.Dialog;
import javax.sip.IOExceptionEvent;
import javax.sip.SipException;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.RouteHeader;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.io.DtlsSocket;
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
    void aRequestToAnAddressDoesNotRideAnAssociationAnAnonymousClientOpened() throws Exception {
        // Mallory, at an address a request is about to go to (a Contact or Route it rewrote),
        // first connects to alice as a DTLS client without a certificate. A new association
        // to that address would have to present a certificate naming it; the one mallory
        // opened must not carry the request instead.
        try (SipPeer alice = new SipPeer("alice");
                DtlsSocket mallory = DtlsSocket.connect(new InetSocketAddress("127.0.0.1", alice.port()),
                        DtlsConfig.forClient().peerVerifier(PeerVerifier.insecureAcceptAny()).build())) {
            mallory.handshake();
            assertTrue(mallory.session().localCertificates().isEmpty(), "mallory sent no certificate");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SipPeer.WAIT_SECONDS);
            while (alice.processor().handshakesCompleted() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10); // polling a counter: there is no event to wait on
            }
            Request options = alice.request(Request.OPTIONS, alice, mallory.localAddress());
            // The association is up, so the refusal comes at once, from sendRequest.
            SipException refused = assertThrows(SipException.class, () -> alice.send(options));
            String why = refused.getMessage();
            assertTrue(why.contains("without a certificate") && why.contains("address 127.0.0.1"), why);
            assertThrows(SocketTimeoutException.class, () -> mallory.read(500), "nothing reached mallory");
        }
    }

    @Test
    void anAnonymousClientStillGetsItsResponsesAndTheirRetransmissions() throws Exception {
        // Domain checks are for requests: responses go back over the association they came
        // on, to whoever sent the request. A retransmitted OPTIONS is answered again from the
        // server transaction, by the RI's byte-level send path.
        try (SipPeer alice = new SipPeer("alice");
                DtlsSocket client = DtlsSocket.connect(new InetSocketAddress("127.0.0.1", alice.port()),
                        DtlsConfig.forClient().peerVerifier(PeerVerifier.insecureAcceptAny()).build())) {
            int port = client.localAddress().getPort();
            String options = "OPTIONS sip:alice@127.0.0.1:" + alice.port() + ";transport=dtls-udp SIP/2.0\r\n"
                    + "Via: SIP/2.0/DTLS-UDP 127.0.0.1:" + port + ";branch=z9hG4bK-anon-1;rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:anon@127.0.0.1:" + port + ">;tag=a1\r\n"
                    + "To: <sip:alice@127.0.0.1:" + alice.port() + ">\r\n"
                    + "Call-ID: anonymous-options-1\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n";
            client.setSoTimeout(TimeUnit.SECONDS.toMillis(SipPeer.WAIT_SECONDS));
            for (int copy = 1; copy <= 2; copy++) {
                client.write(options.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String response = new String(client.read(), java.nio.charset.StandardCharsets.US_ASCII);
                assertTrue(response.startsWith("SIP/2.0 200 "), "copy " + copy + ": " + response);
            }
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

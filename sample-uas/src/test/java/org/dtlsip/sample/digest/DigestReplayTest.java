package org.dtlsip.sample.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.dtlsip.sample.digest.DigestServer.Outcome;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 review, digest authentication as an attacker would try it (RFC 7616 3.4, RFC 3261
 * 22.4): a captured Authorization is not accepted twice, not even on a REGISTER with another
 * Contact (qop=auth covers neither headers nor body); an answer without qop (RFC 2069 form) is
 * refused since we always ask for qop=auth; nonce counts are remembered only after the password
 * is proved, so nobody else can use a user's up; the memory for them is bounded and a forgotten
 * nonce is never accepted again.
 */
class DigestReplayTest {
    private final AddressFactoryImpl addresses = new AddressFactoryImpl();
    private final HeaderFactoryImpl headers = new HeaderFactoryImpl();
    private final MessageFactoryImpl messages = new MessageFactoryImpl();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final NonceFactory nonces = new NonceFactory("dtlsip.test", 60_000, now::get, new SecureRandom());
    private final DigestServer server = new DigestServer("dtlsip.test", Map.of("alice", "wonderland"), nonces, headers,
            addresses);

    private Request register(int cseq, String contact) throws Exception {
        return messages.createRequest("REGISTER sip:127.0.0.1:5061;transport=dtls-udp SIP/2.0\r\n"
                + "Via: SIP/2.0/DTLS-UDP 127.0.0.1:40000;branch=z9hG4bK" + cseq + "\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a\r\nTo: <sip:alice@127.0.0.1>\r\nCall-ID: reg-1\r\n"
                + "CSeq: " + cseq + " REGISTER\r\nMax-Forwards: 70\r\nContact: <" + contact + ">\r\n"
                + "Content-Length: 0\r\n\r\n");
    }

    private DigestClient aliceChallenged() throws Exception {
        Request first = register(1, "sip:alice@127.0.0.1:40000");
        Response resp = messages.createResponse(401, first);
        for (WWWAuthenticateHeader h : server.challenges(false)) {
            resp.addHeader(h);
        }
        DigestClient alice = new DigestClient("alice", "wonderland", headers);
        assertTrue(alice.learn(first, messages.createResponse(resp.toString())));
        return alice;
    }

    private static Request wire(Request r) throws Exception {
        return new MessageFactoryImpl().createRequest(r.toString());
    }

    @Test
    void aCapturedAuthorizationIsNotAcceptedAgainNotEvenWithAnotherContact() throws Exception {
        DigestClient alice = aliceChallenged();
        Request genuine = register(2, "sip:alice@127.0.0.1:40000");
        alice.authorize(genuine);
        assertEquals(new Outcome.Authenticated("alice"), server.check(wire(genuine)));

        // The same request again, and the same Authorization on a REGISTER binding the attacker.
        assertEquals(new Outcome.Challenge(false, "nonce count 00000001 already used with this nonce (a replay)"),
                server.check(wire(genuine)));
        Request hijack = register(3, "sip:mallory@192.0.2.66:5061");
        hijack.setHeader((AuthorizationHeader) genuine.getHeader(AuthorizationHeader.NAME));
        Outcome o = server.check(wire(hijack));
        assertInstanceOf(Outcome.Challenge.class, o);
        assertTrue(((Outcome.Challenge) o).why().contains("a replay"), o.toString());

        // Alice's own next request, with the next count, still goes through.
        Request next = register(4, "sip:alice@127.0.0.1:40000");
        alice.authorize(next);
        assertEquals(new Outcome.Authenticated("alice"), server.check(wire(next)));
    }

    @Test
    void anAnswerWithoutQopIsRefusedThoughThePasswordIsRight() throws Exception {
        DigestClient alice = aliceChallenged();
        Request r = register(2, "sip:alice@127.0.0.1:40000");
        alice.authorize(r);
        AuthorizationHeader h = (AuthorizationHeader) r.getHeader(AuthorizationHeader.NAME);
        // Rewritten in the RFC 2069 form a downgrading client (or attacker) would send.
        AuthorizationHeader old = headers.createAuthorizationHeader("Digest");
        old.setUsername("alice");
        old.setRealm(h.getRealm());
        old.setNonce(h.getNonce());
        old.setParameter("uri", h.getParameter("uri"));
        old.setAlgorithm(h.getAlgorithm());
        old.setResponse(DigestResponse.compute(DigestAlgorithm.of(h.getAlgorithm()), "alice", h.getRealm(), "wonderland",
                "REGISTER", h.getParameter("uri"), h.getNonce(), null));
        r.setHeader(old);
        assertEquals(new Outcome.Challenge(false, "no qop: the challenge asked for qop=auth (RFC 7616 3.4)"),
                server.check(wire(r)));
    }

    @Test
    void countsAreRememberedOnlyOnceThePasswordIsProved() throws Exception {
        DigestClient alice = aliceChallenged();
        Request r = register(2, "sip:alice@127.0.0.1:40000");
        alice.authorize(r);
        // Someone who saw only the public nonce tries to use up its counts.
        Request forged = wire(r);
        AuthorizationHeader f = (AuthorizationHeader) forged.getHeader(AuthorizationHeader.NAME);
        f.setParameter("nc", "ffffffff");
        assertInstanceOf(Outcome.Challenge.class, server.check(forged));
        assertEquals(new Outcome.Authenticated("alice"), server.check(wire(r)), "alice's nc=00000001 still counts");
    }

    @Test
    void aMalformedNonceCountIsChallenged() throws Exception {
        DigestClient alice = aliceChallenged();
        for (String nc : new String[] {"1", "zzzzzzzz", "000000001", "-0000001"}) {
            Request r = register(2, "sip:alice@127.0.0.1:40000");
            alice.authorize(r);
            Request w = wire(r);
            ((AuthorizationHeader) w.getHeader(AuthorizationHeader.NAME)).setParameter("nc", nc);
            Outcome o = server.check(w);
            assertInstanceOf(Outcome.Challenge.class, o, nc);
        }
    }

    @Test
    void theMemoryIsBoundedAndAForgottenNonceIsNeverAcceptedAgain() {
        NonceCounts counts = new NonceCounts(2);
        long expired = Long.MIN_VALUE;
        assertEquals(NonceCounts.Verdict.FRESH, counts.accept("n1", 1, 1, expired));
        assertEquals(NonceCounts.Verdict.FRESH, counts.accept("n2", 2, 1, expired));
        assertEquals(NonceCounts.Verdict.FRESH, counts.accept("n3", 3, 1, expired));
        assertTrue(counts.size() <= 2, "bounded");
        // n1 was forgotten: its old count must not pass as new.
        assertEquals(NonceCounts.Verdict.FORGOTTEN, counts.accept("n1", 1, 1, expired));
        assertEquals(NonceCounts.Verdict.REPLAYED, counts.accept("n3", 3, 1, expired));
        // Out of order within the window is fine once; below the window never.
        assertEquals(NonceCounts.Verdict.FRESH, counts.accept("n3", 3, 5, expired));
        assertEquals(NonceCounts.Verdict.FRESH, counts.accept("n3", 3, 3, expired));
        assertEquals(NonceCounts.Verdict.REPLAYED, counts.accept("n3", 3, 3, expired));
        assertEquals(NonceCounts.Verdict.REPLAYED, counts.accept("n3", 3, 5, expired));
        assertEquals(NonceCounts.Verdict.FRESH, counts.accept("n3", 3, 5 + NonceCounts.WINDOW, expired));
        assertEquals(NonceCounts.Verdict.REPLAYED, counts.accept("n3", 3, 4, expired), "older than the window");
        // Expired nonces make room without forgetting any live one.
        NonceCounts roomy = new NonceCounts(2);
        roomy.accept("a", 10, 1, Long.MIN_VALUE);
        roomy.accept("b", 20, 1, Long.MIN_VALUE);
        assertEquals(NonceCounts.Verdict.FRESH, roomy.accept("c", 30, 1, 15));
        assertEquals(NonceCounts.Verdict.REPLAYED, roomy.accept("b", 20, 1, 15), "b is still remembered");
        for (int i = 0; i < 100_000; i++) {
            counts.accept("x" + i, 100 + i, 1, expired);
        }
        assertTrue(counts.size() <= 2, "still bounded after 100,000 nonces");
    }
}

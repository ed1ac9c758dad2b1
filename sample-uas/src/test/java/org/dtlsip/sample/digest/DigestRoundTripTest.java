package org.dtlsip.sample.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** A client and a server, each through the wire encoding (the RI parses what the other wrote). */
class DigestRoundTripTest {
    private final AddressFactoryImpl addresses = new AddressFactoryImpl();
    private final HeaderFactoryImpl headers = new HeaderFactoryImpl();
    private final MessageFactoryImpl messages = new MessageFactoryImpl();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final DigestServer server = new DigestServer("dtlsip.test", Map.of("alice", "wonderland"),
            new NonceFactory("dtlsip.test", 60_000, now::get, new SecureRandom()), headers, addresses);

    private Request register(int cseq) throws Exception {
        return messages.createRequest("REGISTER sip:127.0.0.1:5061;transport=dtls-udp SIP/2.0\r\n"
                + "Via: SIP/2.0/DTLS-UDP 127.0.0.1:40000;branch=z9hG4bK" + cseq + "\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a\r\nTo: <sip:alice@127.0.0.1>\r\nCall-ID: reg-1\r\n"
                + "CSeq: " + cseq + " REGISTER\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
    }

    /** The 401 a server would send, as the client parses it. */
    private Response unauthorized(Request r, boolean stale) throws Exception {
        Response resp = messages.createResponse(401, r);
        for (WWWAuthenticateHeader h : server.challenges(stale)) {
            resp.addHeader(h);
        }
        return messages.createResponse(resp.toString());
    }

    private static Request wire(Request r) throws Exception {
        return new MessageFactoryImpl().createRequest(r.toString());
    }

    @Test
    void challengeAnswerAccept() throws Exception {
        Request first = register(1);
        Outcome none = server.check(first);
        assertEquals(new Outcome.Challenge(false, "no credentials for realm dtlsip.test"), none);
        Response challenge = unauthorized(first, false);
        assertEquals("SHA-256", ((WWWAuthenticateHeader) challenge.getHeader(WWWAuthenticateHeader.NAME)).getAlgorithm(),
                "SHA-256 offered first (RFC 8760 2.4)");

        DigestClient alice = new DigestClient("alice", "wonderland", headers);
        assertTrue(alice.learn(register(1), challenge));
        Request second = register(2);
        alice.authorize(second);
        Request received = wire(second);
        AuthorizationHeader auth = (AuthorizationHeader) received.getHeader(AuthorizationHeader.NAME);
        assertEquals("SHA-256", auth.getAlgorithm(), "the strongest offered");
        assertEquals("00000001", auth.getParameter("nc"));
        assertEquals(new Outcome.Authenticated("alice"), server.check(received));

        // The next request carries credentials before it is asked, with the next nonce count.
        Request third = register(3);
        alice.authorize(third);
        Request again = wire(third);
        assertEquals("00000002", ((AuthorizationHeader) again.getHeader(AuthorizationHeader.NAME)).getParameter("nc"));
        assertInstanceOf(Outcome.Authenticated.class, server.check(again));
    }

    @Test
    void md5WhenThatIsAllTheServerOffers() throws Exception {
        Request first = register(1);
        Response resp = messages.createResponse(401, first);
        WWWAuthenticateHeader md5 = server.challenges(false).get(1);
        assertEquals("MD5", md5.getAlgorithm());
        resp.addHeader(md5);
        DigestClient alice = new DigestClient("alice", "wonderland", headers);
        assertTrue(alice.learn(register(1), messages.createResponse(resp.toString())));
        Request second = register(2);
        alice.authorize(second);
        assertEquals("MD5", ((AuthorizationHeader) second.getHeader(AuthorizationHeader.NAME)).getAlgorithm());
        assertEquals(new Outcome.Authenticated("alice"), server.check(wire(second)));
    }

    @Test
    void wrongPasswordUnknownUserOtherUriAreChallengedAgain() throws Exception {
        Response challenge = unauthorized(register(1), false);
        DigestClient mallory = new DigestClient("alice", "guess", headers);
        mallory.learn(register(1), challenge);
        Request r = register(2);
        mallory.authorize(r);
        assertEquals(new Outcome.Challenge(false, "wrong password for alice"), server.check(wire(r)));

        DigestClient bob = new DigestClient("bob", "wonderland", headers);
        bob.learn(register(1), challenge);
        Request b = register(3);
        bob.authorize(b);
        assertEquals(new Outcome.Challenge(false, "unknown user bob"), server.check(wire(b)));

        // Credentials computed for one Request-URI do not open another.
        DigestClient alice = new DigestClient("alice", "wonderland", headers);
        alice.learn(register(1), challenge);
        Request a = register(4);
        alice.authorize(a);
        Request moved = wire(a);
        moved.setRequestURI(addresses.createURI("sip:127.0.0.2:5061;transport=dtls-udp"));
        Outcome o = server.check(moved);
        assertInstanceOf(Outcome.Challenge.class, o);
        assertFalse(((Outcome.Challenge) o).stale());
    }

    @Test
    void anExpiredNonceWithTheRightPasswordIsStale() throws Exception {
        DigestClient alice = new DigestClient("alice", "wonderland", headers);
        alice.learn(register(1), unauthorized(register(1), false));
        now.addAndGet(60_001);
        Request r = register(2);
        alice.authorize(r);
        assertEquals(new Outcome.Challenge(true, "nonce expired"), server.check(wire(r)));
        Response stale = unauthorized(r, true);
        assertTrue(DigestClient.isStale(stale));
        alice.learn(register(1), stale);
        Request retry = register(3);
        alice.authorize(retry);
        assertEquals(new Outcome.Authenticated("alice"), server.check(wire(retry)));

        // A wrong password with an old nonce is not "stale": nothing to retry.
        DigestClient wrong = new DigestClient("alice", "guess", headers);
        wrong.learn(register(1), unauthorized(register(4), false));
        now.addAndGet(60_001);
        Request w = register(5);
        wrong.authorize(w);
        assertEquals(new Outcome.Challenge(false, "wrong password for alice"), server.check(wire(w)));
    }
}

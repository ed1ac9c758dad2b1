package org.dtlsip.sample.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.security.SecureRandom;
import java.util.Map;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 review: a digest answer is material for an offline guess of the password (RFC 7616
 * 5.12), so the client sends a realm's credentials only where that realm challenged it (RFC 7235
 * 2.2 protection space): a server's with requests to that server, a proxy's through that proxy;
 * never to another host a request happens to go to.
 */
class DigestScopeTest {
    private final AddressFactoryImpl addresses = new AddressFactoryImpl();
    private final HeaderFactoryImpl headers = new HeaderFactoryImpl();
    private final MessageFactoryImpl messages = new MessageFactoryImpl();
    private final DigestServer server = new DigestServer("dtlsip.test", Map.of("alice", "wonderland"),
            new NonceFactory("dtlsip.test"), headers, addresses);

    private Request invite(String host, String route) throws Exception {
        return messages.createRequest("INVITE sip:bob@" + host + ";transport=dtls-udp SIP/2.0\r\n"
                + "Via: SIP/2.0/DTLS-UDP 127.0.0.1:40000;branch=z9hG4bK" + System.nanoTime() + "\r\n"
                + (route == null ? "" : "Route: <sip:" + route + ";transport=dtls-udp;lr>\r\n")
                + "From: <sip:alice@127.0.0.1>;tag=a\r\nTo: <sip:bob@" + host + ">\r\nCall-ID: c-1\r\n"
                + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
    }

    private Response challenge(Request r, int status) throws Exception {
        Response resp = messages.createResponse(status, r);
        for (WWWAuthenticateHeader h : server.challenges(false)) {
            resp.addHeader(status == 407 ? headers.createProxyAuthenticateHeader(h.getScheme()) : h);
            if (status == 407) {
                javax.sip.header.ProxyAuthenticateHeader p = (javax.sip.header.ProxyAuthenticateHeader) resp.getHeader("Proxy-Authenticate");
                p.setRealm(h.getRealm());
                p.setNonce(h.getNonce());
                p.setAlgorithm(h.getAlgorithm());
                p.setQop("auth");
                break;
            }
        }
        return messages.createResponse(resp.toString());
    }

    @Test
    void aServersCredentialsGoOnlyToThatServer() throws Exception {
        DigestClient alice = new DigestClient("alice", "wonderland", headers);
        Request toRegistrar = invite("192.0.2.10:5061", null);
        assertTrue(alice.learn(toRegistrar, challenge(toRegistrar, 401)));

        Request again = invite("192.0.2.10:5061", null);
        alice.authorize(again);
        assertNotNull(again.getHeader(AuthorizationHeader.NAME), "the server that asked gets them");

        Request elsewhere = invite("198.51.100.66:5061", null);
        alice.authorize(elsewhere);
        assertNull(elsewhere.getHeader(AuthorizationHeader.NAME), "another host never sees a digest of the password");
    }

    @Test
    void aProxysCredentialsGoOnlyThroughThatProxy() throws Exception {
        DigestClient alice = new DigestClient("alice", "wonderland", headers);
        Request viaProxy = invite("192.0.2.10", "192.0.2.1:5061");
        assertTrue(alice.learn(viaProxy, challenge(viaProxy, 407)));

        Request another = invite("198.51.100.7", "192.0.2.1:5061");
        alice.authorize(another);
        assertNotNull(another.getHeader(ProxyAuthorizationHeader.NAME), "any request through the proxy that asked");

        Request direct = invite("198.51.100.7", null);
        alice.authorize(direct);
        assertNull(direct.getHeader(ProxyAuthorizationHeader.NAME), "not to a host the proxy is not");
        assertEquals(null, direct.getHeader(AuthorizationHeader.NAME));
    }
}

package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.junit.jupiter.api.Test;

/** Which SIP domains may use an existing association (RFC 5922 7.3, RFC 5923 5). */
class VerifiedDomainsTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5061);
    private static final CertifiedKey CA = SelfSigned.ecdsaCa("reuse CA");
    private static final List<X509Certificate> CHAIN = SelfSigned.issuedBy(CA, "proxy",
            List.of("sip:a.example", "sip:b.example"), NamedGroup.SECP256R1).chain();

    @Test
    void theHandshakeDomainAndAddressesNeedNoFurtherCheck() {
        VerifiedDomains d = new VerifiedDomains(new SipDomainIdentity("checked.example"));
        assertNull(d.refusal("Checked.Example", List.of(), PEER), "checked by the handshake");
        assertNull(d.refusal("192.0.2.7", List.of(), PEER), "an address: where the association goes");
        assertNull(d.refusal(null, List.of(), PEER), "a response: nothing to check");
    }

    @Test
    void anotherDomainMustBeNamedByTheCertificate() {
        VerifiedDomains d = new VerifiedDomains(new SipDomainIdentity("a.example"));
        assertNull(d.refusal("b.example", CHAIN, PEER));
        String why = d.refusal("c.example", CHAIN, PEER);
        assertTrue(why != null && why.contains("'c.example'") && why.contains("[a.example, b.example]"), why);
        assertNull(d.refusal("b.example", List.of(), PEER), "remembered once checked");
    }

    @Test
    void aPeerThatConnectedWithoutACertificateServesNoDomain() {
        VerifiedDomains d = new VerifiedDomains(null);
        String why = d.refusal("a.example", List.of(), PEER);
        assertTrue(why != null && why.contains("without a certificate") && why.contains("TLS_CLIENT_AUTH_TYPE=Enabled"), why);
        assertNull(d.refusal("a.example", CHAIN, PEER), "a client certificate that names it will do");
    }

    @Test
    void anAddressNeedsAnAuthenticatedPeer() {
        VerifiedDomains anonymous = new VerifiedDomains(null);
        String why = anonymous.refusal("127.0.0.1", List.of(), PEER);
        assertTrue(why != null && why.contains("without a certificate") && why.contains("127.0.0.1"), why);
        assertNull(new VerifiedDomains(null).refusal("127.0.0.1", CHAIN, PEER), "a trusted client certificate will do");
    }
}

package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.junit.jupiter.api.Test;

/** RFC 5922 7.1 (which identities a certificate holds) and 7.2 (how a domain is compared). */
class SipDomainIdentityTest {
    private static final CertifiedKey CA = SelfSigned.ecdsaCa("domain test CA");

    private static X509Certificate cert(String commonName, String... subjectAltNames) {
        return SelfSigned.issuedBy(CA, commonName, List.of(subjectAltNames), NamedGroup.SECP256R1).leaf();
    }

    private static boolean matches(String domain, X509Certificate cert) throws CertificateException {
        return new SipDomainIdentity(domain).matches(cert);
    }

    @Test
    void sipUrisAreTheIdentitiesWhenPresent() throws Exception {
        X509Certificate c = cert("example.com", "sip:example.com", "sip:EXAMPLE.org;transport=dtls-udp",
                "example.net");
        assertEquals(List.of("example.com", "EXAMPLE.org"), SipDomainIdentity.identities(c));
        assertTrue(matches("example.com", c));
        assertTrue(matches("Example.ORG", c), "compared as DNS names, case-insensitively");
        assertFalse(matches("example.net", c), "a DNS name does not count once there are sip URIs");
    }

    @Test
    void aSipUriWithAUserPartNamesAUserNotADomain() throws Exception {
        // RFC 5922 7.1: a sip URI with a userpart is not added to the SIP domain identities. A
        // user's certificate (sip:alice@example.com, from the same CA) must not pass for the
        // domain's proxy, as a server or as a client whose domain is authorized.
        X509Certificate user = cert("alice", "sip:alice@example.com", "sip:alice;day=tuesday@example.org");
        assertEquals(List.of(), SipDomainIdentity.identities(user));
        assertFalse(matches("example.com", user));
        assertFalse(matches("example.org", user));
        X509Certificate userAtAddress = cert("alice", "sip:alice@127.0.0.1");
        assertFalse(matches("127.0.0.1", userAtAddress), "nor the address of a user URI");
        // With no sip URI that is a domain, the DNS names are the identities (7.1).
        X509Certificate userAndDns = cert("alice", "sip:alice@example.com", "example.net");
        assertEquals(List.of("example.net"), SipDomainIdentity.identities(userAndDns));
        assertFalse(matches("example.com", userAndDns));
    }

    @Test
    void dnsNamesCountOnlyWithoutSipUris() throws Exception {
        X509Certificate c = cert("x", "example.com", "https://example.org/", "www.example.com");
        assertEquals(List.of("example.com", "www.example.com"), SipDomainIdentity.identities(c));
        assertTrue(matches("www.example.com", c));
        assertFalse(matches("example.org", c), "only sip URIs are identities");
    }

    @Test
    void theCommonNameCountsOnlyWithoutAnySubjectAltName() throws Exception {
        assertTrue(matches("example.com", cert("example.com")));
        X509Certificate withSan = cert("example.com", "sip:other.example");
        assertEquals(List.of("other.example"), SipDomainIdentity.identities(withSan));
        assertFalse(matches("example.com", withSan), "no CN when there are SANs");
    }

    @Test
    void neitherSuffixesNorWildcardsMatch() throws Exception {
        assertFalse(matches("example.com", cert("x", "sip:foo.example.com")));
        assertFalse(matches("foo.example.com", cert("x", "sip:example.com")));
        assertFalse(matches("foo.example.com", cert("x", "*.example.com")), "RFC 5922 7.2: no wildcards");
        assertFalse(matches("foo.example.com", cert("x", "sip:*.example.com")));
    }

    @Test
    void internationalizedDomainsCompareAsALabels() throws Exception {
        assertTrue(matches("bücher.example", cert("x", "sip:xn--bcher-kva.example")));
    }

    @Test
    void anAddressMatchesASipUriOrAnIpSubjectAltNameWithTheSameAddress() throws Exception {
        assertTrue(matches("127.0.0.1", cert("x", "127.0.0.1")));
        assertTrue(matches("::1", cert("x", "sip:[::1]")));
        assertTrue(matches("[0:0:0:0:0:0:0:1]", cert("x", "::1")));
        assertFalse(matches("127.0.0.1", cert("x", "localhost")), "a name is no address");
        assertFalse(matches("127.0.0.1", cert("127.0.0.1")), "not even in a CN");
    }

    @Test
    void aMismatchNamesBothTheDomainAndTheCertificatesIdentities() {
        X509Certificate c = cert("x", "sip:other.example");
        var e = assertThrows(CertificateException.class, () -> new SipDomainIdentity("localhost").check(c));
        assertTrue(e.getMessage().contains("[other.example]") && e.getMessage().contains("'localhost'")
                && e.getMessage().contains("URI:sip:other.example") && e.getMessage().contains("RFC 5922"), e.getMessage());
    }
}

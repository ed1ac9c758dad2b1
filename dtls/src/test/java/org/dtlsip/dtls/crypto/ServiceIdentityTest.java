package org.dtlsip.dtls.crypto;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9525 service identity: DNS-IDs, wildcards, IP-IDs, and no CN fallback. */
class ServiceIdentityTest {

    private static X509Certificate leaf(TestCertificate c) {
        return c.build().leaf();
    }

    private static boolean accepts(String expected, X509Certificate cert) {
        try {
            ServiceIdentity.of(expected).check(cert);
            return true;
        } catch (CertificateException e) {
            return false;
        }
    }

    @ParameterizedTest(name = "DNS-ID {0} vs reference {1}: {2}")
    @CsvSource({
        // exact, case-insensitive (RFC 4343), trailing dot of an absolute name ignored
        "sip.example.com,   sip.example.com,   true",
        "SIP.Example.COM,   sip.example.com,   true",
        "sip.example.com,   SIP.EXAMPLE.com.,  true",
        "sip.example.com,   example.com,       false",
        "example.com,       sip.example.com,   false",
        // wildcard: the whole left-most label, exactly one label (RFC 9525 6.3)
        "*.example.com,     sip.example.com,   true",
        "*.example.com,     a.b.example.com,   false",
        "*.example.com,     example.com,       false",
        "*.Example.com,     SIP.example.COM,   true",
        // partial-label and inner wildcards never match
        "s*.example.com,    sip.example.com,   false",
        "*ip.example.com,   sip.example.com,   false",
        "sip.*.com,         sip.example.com,   false",
        "*.*.example.com,   a.b.example.com,   false",
        // a wildcard directly above a single label is a public-suffix-like pattern
        "*.com,             example.com,       false",
        "*.local,           printer.local,     false",
        // A-labels: the reference is converted, the presented name compared as ASCII
        "xn--bcher-kva.example, bücher.example, true",
        "*.xn--bcher-kva.example, www.bücher.example, true",
        "bücher.example,    bücher.example,    false",
    })
    void dnsIdMatching(String presented, String reference, boolean match) {
        assertEquals(match, accepts(reference, leaf(TestCertificate.leaf("x").dns(presented))));
        assertEquals(match, DnsNames.matches(presented, DnsNames.reference(reference)));
    }

    @Test
    void ipIdMatchesExactOctetsForIpv4AndIpv6() {
        X509Certificate c = leaf(TestCertificate.leaf("x").ip("127.0.0.1", "::1", "2001:db8::7"));
        assertTrue(accepts("127.0.0.1", c));
        assertTrue(accepts("::1", c));
        assertTrue(accepts("[::1]", c));
        assertTrue(accepts("0:0:0:0:0:0:0:1", c));
        assertTrue(accepts("2001:DB8:0:0::7", c));
        assertFalse(accepts("127.0.0.2", c));
        assertFalse(accepts("2001:db8::8", c));
        // 127.0.0.1 as an IPv4-compatible IPv6 address is another 16-octet value
        assertFalse(accepts("::127.0.0.1", c));
    }

    @Test
    void anIpAddressIsNeverMatchedByADnsIdOrAWildcard() {
        X509Certificate dnsOnly = leaf(TestCertificate.leaf("127.0.0.1").dns("127.0.0.1", "*.0.0.1"));
        assertFalse(accepts("127.0.0.1", dnsOnly), "an IP reference consults IP-IDs only");
        X509Certificate ipOnly = leaf(TestCertificate.leaf("x").ip("127.0.0.1"));
        assertFalse(accepts("localhost", ipOnly), "a DNS reference consults DNS-IDs only");
    }

    @Test
    void aCommonNameAloneIsRefusedWithAMessageThatSaysWhy() {
        X509Certificate cnOnly = leaf(TestCertificate.leaf("sip.example.com"));
        var e = assertThrows(CertificateException.class, () -> ServiceIdentity.of("sip.example.com").check(cnOnly));
        assertTrue(e.getMessage().contains("no subjectAltName") && e.getMessage().contains("CN=sip.example.com")
                && e.getMessage().contains("RFC 9525") && e.getMessage().contains("DNS:sip.example.com"), e.getMessage());
        // A SAN extension with no service identity (only e-mail) does not let the CN back in either.
        X509Certificate emailOnly = leaf(TestCertificate.leaf("sip.example.com").email("ops@example.com"));
        assertFalse(accepts("sip.example.com", emailOnly));
    }

    @Test
    void anAddressWrittenOtherThanAsADottedQuadIsNeitherAnAddressNorAName() {
        // Java (and inet_aton) connect to 127.1, 127.000.000.001 and 2130706433 as 127.0.0.1;
        // checked as DNS-IDs they would match a certificate's DNS:127.1, a name no host has
        // (RFC 3696 2: no all-numeric top-level label), and never the IP:127.0.0.1 the server
        // actually holds. Such a reference is refused, asking for the dotted quad.
        X509Certificate numericDns = leaf(TestCertificate.leaf("x").dns("127.1", "127.000.000.001", "2130706433",
                "1.2.3.4", "*.0.0.1", "0x7f.0.0.1"));
        for (String host : List.of("127.1", "127.000.000.001", "2130706433", "1.2.3.4.", "1.2.3.04", "0x7f.0.0.1",
                "10.0x1", "example.123")) {
            var e = assertThrows(IllegalArgumentException.class, () -> ServiceIdentity.of(host), host);
            assertTrue(e.getMessage().contains("dotted quad"), e.getMessage());
        }
        for (String presented : List.of("127.1", "1.2.3.4", "*.0.0.1")) {
            assertFalse(DnsNames.matches(presented, "127.0.0.1"), presented);
        }
        assertThrows(IllegalArgumentException.class, () -> ServiceIdentity.dns("127.1"));
        assertFalse(accepts("127.0.0.1", numericDns));
        // Names with digits elsewhere are names.
        assertEquals("1.example", ServiceIdentity.of("1.example").name());
        assertEquals("123.example.com", ServiceIdentity.of("123.example.com").name());
        assertEquals("0x7f.example", ServiceIdentity.of("0x7f.example").name());
    }

    @Test
    void aWrongNameIsRefusedNamingBothNames() {
        X509Certificate other = leaf(TestCertificate.leaf("other").dns("other.example").ip("192.0.2.1"));
        var e = assertThrows(CertificateException.class, () -> ServiceIdentity.of("localhost").check(other));
        assertTrue(e.getMessage().contains("'localhost'") && e.getMessage().contains("DNS:other.example")
                && e.getMessage().contains("IP Address:192.0.2.1"), e.getMessage());
        assertTrue(e.getMessage().contains("-verify_hostname") && e.getMessage().contains("-noverify_name"), e.getMessage());
    }

    @Test
    void referenceNamesAreParsedWithoutAskingDns() {
        assertTrue(ServiceIdentity.of("127.0.0.1").isIpAddress());
        assertTrue(ServiceIdentity.of("[2001:db8::1]").isIpAddress());
        assertEquals("2001:db8:0:0:0:0:0:1", ServiceIdentity.of("2001:db8::1").name());
        assertFalse(ServiceIdentity.of("localhost").isIpAddress());
        assertEquals("xn--bcher-kva.example", ServiceIdentity.of("Bücher.Example.").name());
        for (String bad : List.of("", "a..b", "*.example.com", "-a.example", "a b", "x".repeat(64) + ".example",
                "zz::1:")) {
            assertThrows(IllegalArgumentException.class, () -> ServiceIdentity.of(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> ServiceIdentity.dns("127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> ServiceIdentity.ip("localhost"));
    }

    @Test
    void aUnicodeNameThatIdna2003WouldMapToAnotherNameIsRefused() {
        // java.net.IDN is IDNA2003: it maps ß to "ss", final sigma to sigma, drops joiners
        // and folds full-width letters, where IDNA2008 (RFC 5890-5892, which RFC 9525 6.3
        // cites) keeps ß and ς as their own A-labels and disallows the rest. Checking "fass"
        // for a user who asked for "faß" (xn--fa-hia) would accept another registrant's
        // certificate, so such names are refused with a request for the A-label.
        for (String name : List.of("faß.example", "ς.example", "a\u200db.example", "a\u200cb.example",
                "\uff45xample.com", "example\u3002com")) {
            var e = assertThrows(IllegalArgumentException.class, () -> ServiceIdentity.of(name), name);
            assertTrue(e.getMessage().contains("A-label"), e.getMessage());
        }
        X509Certificate fass = leaf(TestCertificate.leaf("x").dns("fass.example", "xn--4xa.example", "ab.example"));
        assertFalse(acceptsIfValid("faß.example", fass));
        assertFalse(acceptsIfValid("ς.example", fass));
        assertFalse(acceptsIfValid("a\u200db.example", fass));
        // Names that map to themselves, and A-labels as given, are unaffected.
        assertEquals("xn--fa-hia.example", ServiceIdentity.of("XN--fa-hia.Example").name());
        assertEquals("xn--bcher-kva.example", ServiceIdentity.of("BÜCHER.example").name());
        assertEquals("xn--bcher-kva.xn--fa-hia.example", ServiceIdentity.of("bücher.xn--fa-hia.example").name());
    }

    private static boolean acceptsIfValid(String expected, X509Certificate cert) {
        try {
            return accepts(expected, cert);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void subjectAltNamesReadEveryServiceIdentityType() throws Exception {
        X509Certificate c = leaf(TestCertificate.leaf("x").dns("a.example").ip("10.0.0.1", "::1").uri("sip:a.example")
                .email("x@a.example"));
        SubjectAltNames names = SubjectAltNames.of(c);
        assertTrue(names.present());
        assertEquals(List.of("a.example"), names.dnsNames());
        assertEquals(List.of("sip:a.example"), names.uris());
        assertEquals(2, names.ipAddresses().size());
        assertEquals(4, names.ipAddresses().get(0).length);
        assertEquals(16, names.ipAddresses().get(1).length);
        assertEquals("DNS:a.example, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1, URI:sip:a.example", names.toString());
        assertFalse(SubjectAltNames.of(leaf(TestCertificate.leaf("x"))).present());
    }

    @Test
    void selfSignedLocalCertificatesNameLoopbackEveryWay() {
        X509Certificate c = SelfSigned.ecdsa("dtlsip local", SelfSigned.LOCAL_NAMES, NamedGroup.SECP256R1).leaf();
        for (String host : List.of("localhost", "127.0.0.1", "::1")) {
            assertDoesNotThrow(() -> ServiceIdentity.of(host).check(c), host);
        }
        assertFalse(accepts("example.com", c));
        X509Certificate sip = SelfSigned.ecdsa("sip", List.of("sip:example.com", "*.example.net"), NamedGroup.SECP256R1).leaf();
        assertTrue(accepts("a.example.net", sip));
        assertFalse(accepts("example.com", sip), "a URI is no DNS-ID");
    }
}

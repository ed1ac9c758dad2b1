package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.TestCertificate;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.junit.jupiter.api.Test;

/**
 * The client accepts a CA-issued server certificate only for the name it asked for (RFC 9525)
 * and only with a key usage fit for the role (RFC 5280); a pinned certificate needs neither.
 */
class ServerIdentityTest {
    private static final CertifiedKey CA = TestCertificate.ca("identity test CA");

    private static DtlsConfig.Builder trustingCa() {
        return DtlsConfig.forClient().peerVerifier(PeerVerifier.pkix(List.of(CA.leaf())));
    }

    private static SimulatedNetwork run(DtlsConfig client, CertifiedKey serverKey) {
        return run(client, TestKeys.server(serverKey).build());
    }

    private static SimulatedNetwork run(DtlsConfig client, DtlsConfig server) {
        SimulatedNetwork net = new SimulatedNetwork(client, server, SimulatedNetwork.Conditions.perfect(), 13);
        net.runHandshake(10_000);
        net.runUntil(net.now() + 100);
        return net;
    }

    private static void assertRefused(SimulatedNetwork net, AlertDescription alert, String... phrases) {
        DtlsException local = net.client().failure();
        assertTrue(local != null, "the client must refuse");
        assertEquals(alert, local.alert(), local.getMessage());
        assertTrue(local.getMessage().startsWith("handshake failed: server certificate rejected: "), local.getMessage());
        assertTrue(local.getMessage().endsWith("(sent fatal alert " + alert.rfcName() + ")"), local.getMessage());
        for (String p : phrases) {
            assertTrue(local.getMessage().contains(p), "'" + p + "' in: " + local.getMessage());
        }
        assertEquals("handshake failed: received fatal alert " + alert.rfcName(), net.server().failure().getMessage());
    }

    @Test
    void caIssuedCertificateForTheExpectedNameIsAccepted() {
        CertifiedKey server = TestCertificate.leaf("sip.example.com").dns("sip.example.com").issuedBy(CA)
                .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).build();
        SimulatedNetwork net = run(trustingCa().expectedServerName("SIP.example.com").build(), server);
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.client().status());
        assertEquals("sip.example.com", net.server().session().serverName(), "the expected name is also sent as SNI");
    }

    @Test
    void caIssuedCertificateForAnotherNameIsRefusedWithBadCertificate() {
        CertifiedKey other = TestCertificate.leaf("other.example").dns("other.example").issuedBy(CA).build();
        assertRefused(run(trustingCa().expectedServerName("localhost").build(), other), AlertDescription.BAD_CERTIFICATE,
                "'localhost'", "DNS:other.example");
    }

    @Test
    void explicitServerNameChangesOnlyWhatIsSentNotWhatIsAccepted() {
        CertifiedKey other = TestCertificate.leaf("other.example").dns("other.example").issuedBy(CA).build();
        assertRefused(run(trustingCa().expectedServerName("localhost").serverName("other.example").build(), other),
                AlertDescription.BAD_CERTIFICATE, "'localhost'");
    }

    @Test
    void wildcardCoversOneLabel() {
        CertifiedKey wildcard = TestCertificate.leaf("*.example.com").dns("*.example.com").issuedBy(CA).build();
        assertEquals(DtlsEngine.Status.ESTABLISHED,
                run(trustingCa().expectedServerName("sip.example.com").build(), wildcard).client().status());
        assertRefused(run(trustingCa().expectedServerName("a.sip.example.com").build(), wildcard),
                AlertDescription.BAD_CERTIFICATE, "DNS:*.example.com");
    }

    @Test
    void ipAddressesMatchIpSubjectAltNamesOnly() {
        CertifiedKey both = TestCertificate.leaf("loopback").ip("127.0.0.1", "::1").issuedBy(CA).build();
        assertEquals(DtlsEngine.Status.ESTABLISHED, run(trustingCa().expectedServerName("127.0.0.1").build(), both).client().status());
        SimulatedNetwork v6 = run(trustingCa().expectedServerName("::1").build(), both);
        assertEquals(DtlsEngine.Status.ESTABLISHED, v6.client().status());
        assertEquals(null, v6.server().session().serverName(), "no SNI for an address (RFC 6066 3)");
        CertifiedKey dnsOnly = TestCertificate.leaf("127.0.0.1").dns("localhost").issuedBy(CA).build();
        assertRefused(run(trustingCa().expectedServerName("127.0.0.1").build(), dnsOnly), AlertDescription.BAD_CERTIFICATE,
                "IP address '127.0.0.1'");
    }

    @Test
    void commonNameOnlyCertificateIsRefused() {
        CertifiedKey cnOnly = TestCertificate.leaf("sip.example.com").issuedBy(CA).build();
        assertRefused(run(trustingCa().expectedServerName("sip.example.com").build(), cnOnly), AlertDescription.BAD_CERTIFICATE,
                "no subjectAltName", "CN=sip.example.com");
    }

    @Test
    void aTrustingClientWithoutAnyNameCannotBeCreated() {
        var e = assertThrows(IllegalArgumentException.class, () -> DtlsEngine.client(trustingCa().build(), 0));
        assertTrue(e.getMessage().contains("expectedServerName") && e.getMessage().contains("noServerNameCheck"),
                e.getMessage());
    }

    @Test
    void noServerNameCheckIsTheNamedWayToAcceptAnyName() {
        CertifiedKey other = TestCertificate.leaf("other.example").dns("other.example").issuedBy(CA).build();
        SimulatedNetwork net = run(trustingCa().noServerNameCheck().build(), other);
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.client().status());
        // ... which still checks trust and key usage.
        CertifiedKey unrelated = TestCertificate.leaf("x").dns("x").build();
        assertRefused(run(trustingCa().noServerNameCheck().build(), unrelated), AlertDescription.UNKNOWN_CA);
    }

    @Test
    void aPinnedCertificateNeedsNoName() {
        CertifiedKey cnOnlyKeyAgreement = TestCertificate.leaf("pinned").keyUsage(KeyUsage.keyAgreement).build();
        DtlsConfig client = DtlsConfig.forClient().peerVerifier(PeerVerifier.fingerprints(
                List.of(Fingerprint.sha256(cnOnlyKeyAgreement.leaf())))).expectedServerName("elsewhere.example").build();
        assertEquals(DtlsEngine.Status.ESTABLISHED, run(client, cnOnlyKeyAgreement).client().status());
    }

    @Test
    void serverLeafWithoutDigitalSignatureIsUnsupported() {
        CertifiedKey keyAgreement = TestCertificate.leaf("sip.example.com").dns("sip.example.com").issuedBy(CA)
                .keyUsage(KeyUsage.keyAgreement).extendedKeyUsage(KeyPurposeId.id_kp_emailProtection).build();
        assertRefused(run(trustingCa().expectedServerName("sip.example.com").build(), keyAgreement),
                AlertDescription.UNSUPPORTED_CERTIFICATE, "keyUsage (keyAgreement)", "digitalSignature");
    }

    @Test
    void serverLeafForClientAuthOnlyIsUnsupported() {
        CertifiedKey clientOnly = TestCertificate.leaf("sip.example.com").dns("sip.example.com").issuedBy(CA)
                .extendedKeyUsage(KeyPurposeId.id_kp_clientAuth).build();
        assertRefused(run(trustingCa().expectedServerName("sip.example.com").build(), clientOnly),
                AlertDescription.UNSUPPORTED_CERTIFICATE, "extendedKeyUsage (clientAuth) does not include serverAuth");
    }

    @Test
    void clientLeafForServerAuthOnlyIsRefusedByTheServer() {
        CertifiedKey server = TestCertificate.leaf("sip.example.com").dns("sip.example.com").issuedBy(CA).build();
        CertifiedKey serverOnlyClient = TestCertificate.leaf("alice").dns("alice.example").issuedBy(CA)
                .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).build();
        DtlsConfig serverConfig = TestKeys.server(server).clientAuth(DtlsConfig.ClientAuth.NEED)
                .peerVerifier(PeerVerifier.pkix(List.of(CA.leaf()))).build();
        SimulatedNetwork net = run(trustingCa().expectedServerName("sip.example.com").certifiedKey(serverOnlyClient).build(),
                serverConfig);
        DtlsException local = net.server().failure();
        assertEquals(AlertDescription.UNSUPPORTED_CERTIFICATE, local.alert(), String.valueOf(local));
        assertTrue(local.getMessage().contains("client certificate rejected")
                && local.getMessage().contains("does not include clientAuth"), local.getMessage());

        CertifiedKey properClient = TestCertificate.leaf("alice").dns("alice.example").issuedBy(CA)
                .extendedKeyUsage(KeyPurposeId.id_kp_clientAuth).build();
        SimulatedNetwork ok = run(trustingCa().expectedServerName("sip.example.com").certifiedKey(properClient).build(),
                serverConfig);
        assertEquals(DtlsEngine.Status.ESTABLISHED, ok.server().status());
    }

    @Test
    void aMalformedSubjectAltNameIsABadCertificateNotAnInternalError() {
        // The JDK keeps a non-critical extension it cannot parse as raw bytes; reading it is ours.
        for (byte[] value : List.of(new byte[0], new byte[] {0x30}, new byte[] {0x30, 0x03, (byte) 0x82, 0x05, 0x61},
                new byte[] {0x04, 0x00}, new byte[] {(byte) 0xa2, 0x02, 0x05, 0x00})) {
            CertifiedKey mangled = TestCertificate.leaf("sip.example.com").issuedBy(CA)
                    .rawExtension(Extension.subjectAlternativeName, false, value).build();
            assertRefused(run(trustingCa().expectedServerName("sip.example.com").build(), mangled),
                    AlertDescription.BAD_CERTIFICATE, "malformed subjectAltName");
        }
    }

    @Test
    void anUnreadableKeyUsageOrExtendedKeyUsageIsNotReadAsAbsent() {
        // Non-critical, so the JDK parses the certificate and reports the extension as missing:
        // the key would then be unrestricted. RFC 5280 4.2.1.3/4.2.1.12: a certificate that says
        // something we cannot read is refused.
        byte[] notABitString = {0x04, 0x01, 0x00};
        CertifiedKey badKeyUsage = TestCertificate.leaf("sip.example.com").dns("sip.example.com").issuedBy(CA)
                .rawExtension(Extension.keyUsage, false, notABitString).build();
        assertRefused(run(trustingCa().expectedServerName("sip.example.com").build(), badKeyUsage),
                AlertDescription.BAD_CERTIFICATE, "keyUsage");
        CertifiedKey badExtendedKeyUsage = TestCertificate.leaf("sip.example.com").dns("sip.example.com").issuedBy(CA)
                .rawExtension(Extension.extendedKeyUsage, false, notABitString).build();
        assertRefused(run(trustingCa().expectedServerName("sip.example.com").build(), badExtendedKeyUsage),
                AlertDescription.BAD_CERTIFICATE, "extendedKeyUsage");
    }

    @Test
    void anIntermediateRestrictedToAnotherPurposeCannotIssueServers() {
        // A sub-CA whose extendedKeyUsage says e-mail only (a technically constrained S/MIME
        // CA) issues a certificate claiming serverAuth: OpenSSL, NSS and the Web PKI refuse
        // it (the purpose must hold along the chain), and so do we.
        CertifiedKey smimeCa = TestCertificate.leaf("S/MIME only sub-CA").asCa().issuedBy(CA)
                .extendedKeyUsage(KeyPurposeId.id_kp_emailProtection).build();
        CertifiedKey server = TestCertificate.leaf("sip.example.com").dns("sip.example.com").issuedBy(smimeCa)
                .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).build();
        assertRefused(run(trustingCa().expectedServerName("sip.example.com").build(), server),
                AlertDescription.UNSUPPORTED_CERTIFICATE, "S/MIME only sub-CA", "emailProtection", "serverAuth");
        // A sub-CA for servers, or one that does not restrict its purpose, may.
        for (KeyPurposeId[] purposes : List.of(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth},
                new KeyPurposeId[] {KeyPurposeId.anyExtendedKeyUsage})) {
            CertifiedKey tlsCa = TestCertificate.leaf("TLS sub-CA").asCa().issuedBy(CA).extendedKeyUsage(purposes).build();
            CertifiedKey ok = TestCertificate.leaf("sip.example.com").dns("sip.example.com").issuedBy(tlsCa).build();
            assertEquals(DtlsEngine.Status.ESTABLISHED,
                    run(trustingCa().expectedServerName("sip.example.com").build(), ok).client().status());
        }
        CertifiedKey unrestrictedCa = TestCertificate.leaf("sub-CA").asCa().issuedBy(CA).build();
        CertifiedKey ok = TestCertificate.leaf("sip.example.com").dns("sip.example.com").issuedBy(unrestrictedCa).build();
        assertEquals(DtlsEngine.Status.ESTABLISHED,
                run(trustingCa().expectedServerName("sip.example.com").build(), ok).client().status());
    }

    @Test
    void expiredAndNotYetValidCertificatesSayWhichWithTheirDates() {
        Instant now = Instant.now();
        CertifiedKey expired = TestCertificate.leaf("sip.example.com").dns("sip.example.com").issuedBy(CA)
                .validity(now.minus(Duration.ofDays(90)), now.minus(Duration.ofDays(1))).build();
        assertRefused(run(trustingCa().expectedServerName("sip.example.com").build(), expired),
                AlertDescription.CERTIFICATE_EXPIRED, "expired on " + expired.leaf().getNotAfter().toInstant(),
                "valid from " + expired.leaf().getNotBefore().toInstant());
        assertTrue(!run(trustingCa().expectedServerName("sip.example.com").build(), expired).client().failure().getMessage()
                .contains("trust anchor"), "the right CA was given: no advice to pass another");
        CertifiedKey future = TestCertificate.leaf("sip.example.com").dns("sip.example.com").issuedBy(CA)
                .validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(90))).build();
        assertRefused(run(trustingCa().expectedServerName("sip.example.com").build(), future),
                AlertDescription.CERTIFICATE_EXPIRED, "not valid before " + future.leaf().getNotBefore().toInstant());
    }
}

package org.dtlsip.dtls.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SelfSigned, CertifiedKey, Pem, Fingerprint and the PeerVerifier implementations. */
class CertificatesTest {
    private static CertifiedKey ec;
    private static CertifiedKey ca;
    private static CertifiedKey leaf;

    @TempDir
    Path dir;

    @BeforeAll
    static void certs() {
        ec = SelfSigned.ecdsa("sip.example.com", NamedGroup.SECP256R1);
        ca = SelfSigned.ecdsaCa("dtlsip test CA");
        leaf = SelfSigned.issuedBy(ca, "leaf.example.com", NamedGroup.SECP384R1);
    }

    @Test
    void selfSignedCertificateIsWellFormed() throws Exception {
        X509Certificate c = ec.leaf();
        c.checkValidity();
        c.verify(c.getPublicKey());
        assertEquals("CN=sip.example.com", c.getSubjectX500Principal().getName());
        assertEquals(-1, c.getBasicConstraints());
        assertTrue(c.getSerialNumber().bitLength() > 64);
        assertEquals(0, ca.leaf().getBasicConstraints() < 0 ? 1 : 0);
        assertEquals(2, leaf.chain().size());
        leaf.leaf().verify(ca.leaf().getPublicKey());
    }

    @Test
    void certifiedKeyRejectsMismatchedKeyAndEmptyChain() {
        CertifiedKey rsa = SelfSigned.rsa("rsa.example.com", 1024);
        assertThrows(IllegalArgumentException.class,
                () -> new CertifiedKey(List.of(ec.leaf()), rsa.privateKey()));
        assertThrows(IllegalArgumentException.class,
                () -> new CertifiedKey(List.of(ec.leaf()), leaf.privateKey()));
        assertThrows(IllegalArgumentException.class, () -> new CertifiedKey(List.of(), ec.privateKey()));
    }

    @Test
    void pemRoundTripPkcs8() throws Exception {
        Path cert = dir.resolve("chain.pem");
        Path key = dir.resolve("key.pem");
        Pem.writeCertificates(cert, leaf.chain());
        Pem.writePrivateKey(key, leaf.privateKey());
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        CertifiedKey back = Pem.readCertifiedKey(cert, key);
        assertEquals(leaf.chain(), back.chain());
        assertEquals(((ECPrivateKey) leaf.privateKey()).getS(), ((ECPrivateKey) back.privateKey()).getS());
    }

    @Test
    void pemReadsTraditionalSec1AndPkcs1Keys() throws Exception {
        CertifiedKey rsa = SelfSigned.rsa("rsa.example.com", 1024);
        Path ecKey = writeTraditional("ec.pem", ec.privateKey());
        Path rsaKey = writeTraditional("rsa.pem", rsa.privateKey());
        assertTrue(Files.readString(ecKey).contains("BEGIN EC PRIVATE KEY"));
        assertTrue(Files.readString(rsaKey).contains("BEGIN RSA PRIVATE KEY"));
        assertEquals(((ECPrivateKey) ec.privateKey()).getS(),
                ((ECPrivateKey) Pem.readPrivateKey(ecKey)).getS());
        assertEquals(((RSAPrivateKey) rsa.privateKey()).getPrivateExponent(),
                ((RSAPrivateKey) Pem.readPrivateKey(rsaKey)).getPrivateExponent());
    }

    @Test
    void pemErrorsNameTheFile() throws Exception {
        Path empty = dir.resolve("empty.pem");
        Files.writeString(empty, "hello\n");
        var e = assertThrows(java.io.IOException.class, () -> Pem.readCertificates(empty));
        assertTrue(e.getMessage().contains("empty.pem") && e.getMessage().contains("openssl req -x509"),
                e.getMessage());
        assertThrows(java.io.IOException.class, () -> Pem.readPrivateKey(empty));
    }

    @Test
    void fingerprintFormatAndParse() {
        byte[] fp = Fingerprint.sha256(ec.leaf());
        String s = Fingerprint.format(fp);
        assertEquals(32 * 3 - 1, s.length());
        assertEquals(s.toUpperCase(java.util.Locale.ROOT), s);
        assertArrayEquals(fp, Fingerprint.parse(s));
        assertArrayEquals(fp, Fingerprint.parse(s.replace(":", "").toLowerCase(java.util.Locale.ROOT)));
        var e = assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("AB:CD"));
        assertTrue(e.getMessage().contains("32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("zz"));
    }

    @Test
    void pkixAcceptsSelfSignedAnchorAndCaChains() {
        assertDoesNotThrow(() -> PeerVerifier.pkix(List.of(ec.leaf())).verify(ec.chain()));
        PeerVerifier viaCa = PeerVerifier.pkix(List.of(ca.leaf()));
        assertDoesNotThrow(() -> viaCa.verify(leaf.chain()));
        assertDoesNotThrow(() -> viaCa.verify(List.of(leaf.leaf())));
    }

    @Test
    void pkixRejectsUnknownIssuerWithHelpfulMessage() {
        PeerVerifier v = PeerVerifier.pkix(List.of(ec.leaf()));
        var e = assertThrows(CertificateException.class, () -> v.verify(leaf.chain()));
        assertTrue(e.getMessage().contains("trust anchor") && e.getMessage().contains("-CAfile")
                && e.getMessage().contains("-fingerprint"), e.getMessage());
        CertifiedKey other = SelfSigned.ecdsa("other", NamedGroup.SECP256R1);
        assertThrows(CertificateException.class, () -> v.verify(other.chain()));
    }

    @Test
    void pkixReportsAnExpiredCertificateAsExpiredWithItsDates() {
        CertifiedKey testCa = TestCertificate.ca("validity CA");
        java.time.Instant now = java.time.Instant.now();
        CertifiedKey expired = TestCertificate.leaf("old").dns("old.example").issuedBy(testCa)
                .validity(now.minus(java.time.Duration.ofDays(60)), now.minus(java.time.Duration.ofDays(1))).build();
        PeerVerifier v = PeerVerifier.pkix(List.of(testCa.leaf()));
        var e = assertThrows(java.security.cert.CertificateExpiredException.class, () -> v.verify(expired.chain()));
        assertTrue(e.getMessage().contains("expired on " + expired.leaf().getNotAfter().toInstant())
                && e.getMessage().contains("valid from " + expired.leaf().getNotBefore().toInstant())
                && e.getMessage().contains("CN=old"), e.getMessage());
        assertTrue(!e.getMessage().contains("trust anchor") && !e.getMessage().contains("-fingerprint"), e.getMessage());

        CertifiedKey future = TestCertificate.leaf("new").dns("new.example").issuedBy(testCa)
                .validity(now.plus(java.time.Duration.ofDays(1)), now.plus(java.time.Duration.ofDays(30))).build();
        var f = assertThrows(java.security.cert.CertificateNotYetValidException.class, () -> v.verify(future.chain()));
        assertTrue(f.getMessage().contains("not valid before " + future.leaf().getNotBefore().toInstant())
                && f.getMessage().contains("clock"), f.getMessage());

        // A self-signed certificate that is itself the anchor: same report.
        CertifiedKey selfExpired = TestCertificate.leaf("self").dns("self.example")
                .validity(now.minus(java.time.Duration.ofDays(60)), now.minus(java.time.Duration.ofDays(2))).build();
        var g = assertThrows(java.security.cert.CertificateExpiredException.class,
                () -> PeerVerifier.pkix(List.of(selfExpired.leaf())).verify(selfExpired.chain()));
        assertTrue(g.getMessage().contains("expired on"), g.getMessage());
    }

    @Test
    void onlyPkixAsksForIdentityChecks() {
        assertTrue(PeerVerifier.pkix(List.of(ca.leaf())).requiresIdentityCheck());
        assertTrue(!PeerVerifier.fingerprints(List.of(new byte[32])).requiresIdentityCheck());
        assertTrue(!PeerVerifier.insecureAcceptAny().requiresIdentityCheck());
    }

    @Test
    void fingerprintVerifierMatchesLeafOnly() {
        PeerVerifier v = PeerVerifier.fingerprints(List.of(Fingerprint.sha256(leaf.leaf())));
        assertDoesNotThrow(() -> v.verify(leaf.chain()));
        var e = assertThrows(CertificateException.class, () -> v.verify(ca.chain()));
        assertTrue(e.getMessage().contains(Fingerprint.format(Fingerprint.sha256(ca.leaf()))));
        assertTrue(e.getMessage().contains(Fingerprint.format(Fingerprint.sha256(leaf.leaf()))));
    }

    @Test
    void emptyChainAlwaysFails() {
        for (PeerVerifier v : List.of(PeerVerifier.pkix(List.of(ca.leaf())),
                PeerVerifier.fingerprints(List.of(new byte[32])), PeerVerifier.insecureAcceptAny())) {
            var e = assertThrows(CertificateException.class, () -> v.verify(List.of()));
            assertEquals("peer sent no certificate", e.getMessage());
        }
        assertDoesNotThrow(() -> PeerVerifier.insecureAcceptAny().verify(ec.chain()));
    }

    private Path writeTraditional(String name, PrivateKey key) throws Exception {
        Path p = dir.resolve(name);
        // Re-encode through the BC provider: its SEC1 structure carries the curve OID, as the
        // files openssl writes do (the JDK's PKCS#8 leaves it to the outer AlgorithmIdentifier).
        key = java.security.KeyFactory.getInstance(key.getAlgorithm(), Providers.bouncyCastle())
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(key.getEncoded()));
        // JcaPEMWriter writes EC and RSA keys in the traditional openssl forms.
        try (var w = Files.newBufferedWriter(p); var pem = new JcaPEMWriter(w)) {
            pem.writeObject(key);
        }
        return p;
    }
}

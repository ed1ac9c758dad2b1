package org.dtlsip.dtls.crypto;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.dtlsip.dtls.crypto.KeyUsagePolicy.Purpose;
import org.junit.jupiter.api.Test;

/** RFC 5280 4.2.1.3 keyUsage and 4.2.1.12 extendedKeyUsage of DTLS server and client leaves. */
class KeyUsagePolicyTest {

    private static X509Certificate cert(Integer keyUsage, KeyPurposeId... eku) {
        TestCertificate c = TestCertificate.leaf("x").dns("x.example").keyUsage(keyUsage);
        if (eku.length > 0) {
            c.extendedKeyUsage(eku);
        }
        return c.build().leaf();
    }

    @Test
    void noExtensionsMeanUnrestricted() {
        X509Certificate c = cert(null);
        assertDoesNotThrow(() -> KeyUsagePolicy.check(c, Purpose.TLS_SERVER));
        assertDoesNotThrow(() -> KeyUsagePolicy.check(c, Purpose.TLS_CLIENT));
    }

    @Test
    void digitalSignatureIsRequiredWhenKeyUsageIsPresent() {
        assertDoesNotThrow(() -> KeyUsagePolicy.check(cert(KeyUsage.digitalSignature), Purpose.TLS_SERVER));
        assertDoesNotThrow(() -> KeyUsagePolicy.check(cert(KeyUsage.digitalSignature | KeyUsage.keyEncipherment),
                Purpose.TLS_CLIENT));
        for (int bits : new int[] {KeyUsage.keyEncipherment, KeyUsage.keyAgreement, KeyUsage.nonRepudiation}) {
            var e = assertThrows(CertificateException.class, () -> KeyUsagePolicy.check(cert(bits), Purpose.TLS_SERVER));
            assertInstanceOf(KeyUsagePolicy.UnsuitableCertificateException.class, e);
            assertTrue(e.getMessage().contains("does not allow digitalSignature")
                    && e.getMessage().contains("ServerKeyExchange"), e.getMessage());
        }
        var e = assertThrows(CertificateException.class,
                () -> KeyUsagePolicy.check(cert(KeyUsage.keyAgreement), Purpose.TLS_CLIENT));
        assertTrue(e.getMessage().contains("keyUsage (keyAgreement)") && e.getMessage().contains("CertificateVerify"),
                e.getMessage());
    }

    @Test
    void extendedKeyUsageMustNameTheRoleOrAny() {
        X509Certificate server = cert(KeyUsage.digitalSignature, KeyPurposeId.id_kp_serverAuth);
        X509Certificate client = cert(KeyUsage.digitalSignature, KeyPurposeId.id_kp_clientAuth);
        X509Certificate both = cert(KeyUsage.digitalSignature, KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
        X509Certificate any = cert(KeyUsage.digitalSignature, KeyPurposeId.anyExtendedKeyUsage);
        assertDoesNotThrow(() -> KeyUsagePolicy.check(server, Purpose.TLS_SERVER));
        assertDoesNotThrow(() -> KeyUsagePolicy.check(client, Purpose.TLS_CLIENT));
        assertDoesNotThrow(() -> KeyUsagePolicy.check(both, Purpose.TLS_SERVER));
        assertDoesNotThrow(() -> KeyUsagePolicy.check(both, Purpose.TLS_CLIENT));
        assertDoesNotThrow(() -> KeyUsagePolicy.check(any, Purpose.TLS_SERVER));
        var e = assertThrows(CertificateException.class, () -> KeyUsagePolicy.check(client, Purpose.TLS_SERVER));
        assertTrue(e.getMessage().contains("extendedKeyUsage (clientAuth) does not include serverAuth"), e.getMessage());
        e = assertThrows(CertificateException.class, () -> KeyUsagePolicy.check(server, Purpose.TLS_CLIENT));
        assertTrue(e.getMessage().contains("does not include clientAuth"), e.getMessage());
    }

    @Test
    void theIssuesExampleKeyAgreementAndEmailProtectionIsNoServer() {
        X509Certificate c = cert(KeyUsage.keyAgreement, KeyPurposeId.id_kp_emailProtection);
        var e = assertThrows(KeyUsagePolicy.UnsuitableCertificateException.class,
                () -> KeyUsagePolicy.check(c, Purpose.TLS_SERVER));
        assertTrue(e.getMessage().contains("digitalSignature"), e.getMessage());
        X509Certificate signing = cert(KeyUsage.digitalSignature, KeyPurposeId.id_kp_emailProtection);
        e = assertThrows(KeyUsagePolicy.UnsuitableCertificateException.class,
                () -> KeyUsagePolicy.check(signing, Purpose.TLS_SERVER));
        assertTrue(e.getMessage().contains("(emailProtection)"), e.getMessage());
    }
}

package org.dtlsip.sample;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.junit.jupiter.api.Test;

/**
 * The samples' TLS trust managers accept only what they say, in both roles: no empty chain,
 * no missing authType, no certificate that is not pinned or not for the domain.
 */
class TrustManagersTest {
    private static final CertifiedKey CA = SelfSigned.ecdsaCa("trust managers CA");
    private static final X509Certificate[] EXAMPLE = SelfSigned.issuedBy(CA, "proxy", List.of("sip:example.com"),
            NamedGroup.SECP256R1).chain().toArray(new X509Certificate[0]);
    private static final X509Certificate[] OTHER = SelfSigned.ecdsa("other", NamedGroup.SECP256R1).chain()
            .toArray(new X509Certificate[0]);

    @Test
    void pinnedTrustManagerAcceptsOnlyThePinnedLeafInBothRoles() {
        PinnedTrustManager pinned = new PinnedTrustManager(List.of(Credentials.fingerprintOf(EXAMPLE[0])));
        SSLEngine engine = null;
        for (X509Certificate[] bad : new X509Certificate[][] {null, new X509Certificate[0], OTHER}) {
            assertThrows(CertificateException.class, () -> pinned.checkServerTrusted(bad, "ECDHE_ECDSA"));
            assertThrows(CertificateException.class, () -> pinned.checkClientTrusted(bad, "EC"));
            assertThrows(CertificateException.class, () -> pinned.checkServerTrusted(bad, "ECDHE_ECDSA", engine));
            assertThrows(CertificateException.class, () -> pinned.checkClientTrusted(bad, "EC", (java.net.Socket) null));
        }
        assertDoesNotThrow(() -> pinned.checkServerTrusted(EXAMPLE, null), "a pin does not depend on the authType");
        assertDoesNotThrow(() -> pinned.checkClientTrusted(EXAMPLE, "EC", engine));
    }

    @Test
    void sipDomainTrustManagerNeedsTrustAndADomainAndRefusesEmptyInput() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", CA.leaf());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        SipDomainTrustManager tm = new SipDomainTrustManager((X509ExtendedTrustManager) tmf.getTrustManagers()[0]);
        SSLEngine engine = javax.net.ssl.SSLContext.getDefault().createSSLEngine("example.com", 5061);
        // No handshake session (or none at all): no domain to check against, so refused.
        assertThrows(CertificateException.class, () -> tm.checkServerTrusted(EXAMPLE, "ECDHE_ECDSA"));
        assertThrows(CertificateException.class, () -> tm.checkServerTrusted(EXAMPLE, "ECDHE_ECDSA", engine));
        // Empty chains and missing authTypes never pass (JSSE's own manager throws).
        for (X509Certificate[] chain : new X509Certificate[][] {null, new X509Certificate[0]}) {
            assertTrue(refuses(() -> tm.checkServerTrusted(chain, "ECDHE_ECDSA", engine)));
            assertTrue(refuses(() -> tm.checkClientTrusted(chain, "EC", engine)));
        }
        assertTrue(refuses(() -> tm.checkClientTrusted(EXAMPLE, null, engine)));
        assertTrue(refuses(() -> tm.checkServerTrusted(EXAMPLE, null, engine)));
        // A client certificate must be trusted; an untrusted one is refused.
        assertThrows(CertificateException.class, () -> tm.checkClientTrusted(OTHER, "EC", engine));
    }

    private interface Check {
        void run() throws Exception;
    }

    /** Refused: a CertificateException, or JSSE's IllegalArgumentException for malformed input. */
    private static boolean refuses(Check c) {
        try {
            c.run();
            return false;
        } catch (CertificateException | IllegalArgumentException e) {
            return true;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

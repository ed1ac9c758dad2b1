package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.engine.DtlsSession;
import org.junit.jupiter.api.Test;

/**
 * The session names its version and suite the same way for DTLS 1.2 and 1.3, so that callers
 * (the SIP transport's {@code getCipherSuite()}, the samples) never touch the version-specific,
 * nullable {@link DtlsSession#cipherSuite()} / {@link DtlsSession#tls13CipherSuite()}.
 */
class DtlsSessionNamesTest {

    @Test
    void dtls13SessionNamesItsSuiteWithoutA12Suite() {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = Dtls13HandshakeTest.established(
                Dtls13HandshakeTest.client13(key).tls13CipherSuites(List.of(Tls13CipherSuite.TLS_AES_256_GCM_SHA384)).build(),
                Dtls13HandshakeTest.server13(key).build());
        for (DtlsSession s : List.of(net.client().session(), net.server().session())) {
            assertTrue(s.isDtls13());
            assertEquals("DTLSv1.3", s.protocol());
            assertNull(s.cipherSuite(), "no DTLS 1.2 suite in a 1.3 session");
            assertEquals("TLS_AES_256_GCM_SHA384", s.ianaCipherSuiteName());
            assertEquals("TLS_AES_256_GCM_SHA384", s.cipherSuiteName());
            assertEquals("DTLSv1.3 TLS_AES_256_GCM_SHA384", s.toString());
        }
    }

    @Test
    void dtls12SessionGivesTheIanaAndTheOpenSslNames() {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = Dtls13HandshakeTest.established(
                Dtls13HandshakeTest.client13(key).cipherSuites(List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)).build(),
                TestKeys.server(key).build());
        for (DtlsSession s : List.of(net.client().session(), net.server().session())) {
            assertFalse(s.isDtls13());
            assertEquals("DTLSv1.2", s.protocol());
            assertNull(s.tls13CipherSuite());
            assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", s.ianaCipherSuiteName());
            assertEquals("ECDHE-ECDSA-AES128-GCM-SHA256", s.cipherSuiteName());
        }
    }
}

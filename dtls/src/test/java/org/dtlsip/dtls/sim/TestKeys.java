package org.dtlsip.dtls.sim;

import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.dtls.record.ProtocolVersion;

/**
 * Certificates generated once per test JVM (RSA key generation is slow) and matching configs.
 * The configs pin DTLS 1.2: the tests built on them check DTLS 1.2 behaviour (its flights,
 * HelloVerifyRequest, suites, resumption), which the default of DTLS 1.3 and 1.2 would replace
 * with 1.3's; the DTLS 1.3 tests name their versions, and {@code DefaultProtocolsTest} covers
 * the default itself.
 */
public final class TestKeys {
    private static CertifiedKey ec;
    private static CertifiedKey rsa;

    private TestKeys() {
    }

    public static synchronized CertifiedKey ec() {
        if (ec == null) {
            ec = SelfSigned.ecdsa("dtlsip test ec", NamedGroup.SECP256R1);
        }
        return ec;
    }

    public static synchronized CertifiedKey rsa() {
        if (rsa == null) {
            rsa = SelfSigned.rsa("dtlsip test rsa", 2048);
        }
        return rsa;
    }

    public static CertifiedKey forSuite(CipherSuite suite) {
        return suite.keyExchange == CipherSuite.KeyExchange.ECDHE_RSA ? rsa() : ec();
    }

    /** A server config for {@code key}. */
    public static DtlsConfig.Builder server(CertifiedKey key) {
        return DtlsConfig.forServer().certifiedKey(key).protocols(ProtocolVersion.DTLS_1_2);
    }

    /**
     * A config for a peer that accepts and opens associations from one port ({@code DtlsServer}
     * with {@code connect}) with {@code key}.
     */
    public static DtlsConfig.Builder peer(CertifiedKey key) {
        return DtlsConfig.forClientAndServer().certifiedKey(key).protocols(ProtocolVersion.DTLS_1_2);
    }

    /** A client config that pins {@code key}'s certificate. */
    public static DtlsConfig.Builder clientPinning(CertifiedKey key) {
        return DtlsConfig.forClient().peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.sha256(key.leaf()))))
                .protocols(ProtocolVersion.DTLS_1_2);
    }
}

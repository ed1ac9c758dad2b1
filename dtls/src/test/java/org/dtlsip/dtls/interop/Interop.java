package org.dtlsip.dtls.interop;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.PeerVerifier;

/** Shared bits of the interop tests: keys per suite, our configs, short timeouts. */
final class Interop {

    /** Bound on every single wait in the interop tests (a line, a record, a callback). */
    static final Duration WAIT = Duration.ofSeconds(5);
    /** Our handshake deadline in tests: failures surface in seconds, not the default 45 s. */
    static final long HANDSHAKE_TIMEOUT_MILLIS = 5_000;

    /**
     * The six ECDHE AEAD suites, OpenSSL names, for {@code @FieldSource}. Listed by name rather
     * than via {@code @EnumSource(CipherSuite.class)}: the enum also declares suites (PSK, CCM,
     * CBC) that these tests do not cover.
     */
    static final List<String> SUITES = List.of(
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            "ECDHE-ECDSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-ECDSA-CHACHA20-POLY1305",
            "ECDHE-RSA-CHACHA20-POLY1305");

    private Interop() {
    }

    /** A key that fits the suite's authentication: EC P-256 for ECDSA suites, RSA-2048 for RSA. */
    static TestPki.Material keyFor(CipherSuite suite) {
        return suite.keyExchange == CipherSuite.KeyExchange.ECDHE_ECDSA
                ? TestPki.ecdsaP256() : TestPki.rsa2048();
    }

    static CertifiedKey certifiedKey(TestPki.Material material) {
        return new CertifiedKey(List.of(material.certificate()), material.privateKey());
    }

    /** A client config that pins {@code serverKey}'s certificate by SHA-256 fingerprint. */
    static DtlsConfig.Builder clientPinning(TestPki.Material serverKey) {
        return DtlsConfig.forClient()
                .peerVerifier(PeerVerifier.fingerprints(
                        List.of(Fingerprint.sha256(serverKey.certificate()))))
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
    }

    /** A server config with {@code key}; cookie exchange on (the default). */
    static DtlsConfig.Builder server(TestPki.Material key) {
        return DtlsConfig.forServer()
                .certifiedKey(certifiedKey(key))
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** 127.0.0.1 with an ephemeral port, for our servers. */
    static InetSocketAddress anyLoopbackPort() {
        return loopback(0);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}

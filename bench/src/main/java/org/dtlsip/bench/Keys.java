package org.dtlsip.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.Pem;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.record.ProtocolVersion;

/**
 * The one server identity every contender uses: a self-signed ECDSA P-256 certificate, so that
 * handshake sizes and signature costs compare like for like. Peers other than ours get the key as
 * a plain JDK {@code PrivateKey} (what their users would load from a file), not as a Bouncy Castle
 * key object.
 */
public final class Keys {
    /** The suite every scenario negotiates. */
    public static final String SUITE = "ECDHE-ECDSA-AES128-GCM-SHA256";
    public static final char[] PASSWORD = "bench".toCharArray();

    private final CertifiedKey certifiedKey;
    private final PrivateKey jdkPrivateKey;
    /** The one version our client and server speak ({@code --protocol}); DTLS 1.2 unless set. */
    private final int oursProtocol;
    /** Whether our server runs the stateless cookie exchange (its default; {@link #withoutCookie}). */
    private final boolean oursCookie;
    private DtlsConfig oursClient;
    private Path certPem;
    private Path keyPem;

    private Keys(CertifiedKey certifiedKey, int oursProtocol, boolean oursCookie) {
        this.certifiedKey = certifiedKey;
        this.oursProtocol = oursProtocol;
        this.oursCookie = oursCookie;
        try {
            this.jdkPrivateKey = KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(certifiedKey.privateKey().getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot convert the benchmark key to a JDK key", e);
        }
    }

    public static Keys generate() {
        return new Keys(SelfSigned.ecdsa("dtlsip bench", NamedGroup.SECP256R1), ProtocolVersion.DTLS_1_2, true);
    }

    /**
     * The same identity with our client and server pinned to {@code version} ({@code --protocol}):
     * DTLS 1.3 (RFC 9147) uses TLS_AES_128_GCM_SHA256, the 1.3 counterpart of {@link #SUITE},
     * and P-256 as well. Other contenders speak DTLS 1.2 whatever this says.
     */
    public Keys withOursProtocol(int version) {
        return new Keys(certifiedKey, version, oursCookie);
    }

    /**
     * The same identity with our server's stateless cookie exchange off: a DTLS 1.2 server then
     * sends no HelloVerifyRequest and a DTLS 1.3 server no cookie HelloRetryRequest (RFC 9147
     * 5.1), saving a round trip; the bench's {@code *-nocookie} contenders.
     */
    public Keys withoutCookie() {
        return new Keys(certifiedKey, oursProtocol, false);
    }

    public int oursProtocol() {
        return oursProtocol;
    }

    public CertifiedKey certifiedKey() {
        return certifiedKey;
    }

    public X509Certificate certificate() {
        return certifiedKey.leaf();
    }

    public PrivateKey jdkPrivateKey() {
        return jdkPrivateKey;
    }

    /** Our server: the suite and P-256 only. */
    public DtlsConfig oursServer() {
        return DtlsConfig.forServer().certifiedKey(certifiedKey).cipherSuites(SUITE)
                .namedGroups(List.of(NamedGroup.SECP256R1)).protocols(oursProtocol)
                .tls13CipherSuites(List.of(Tls13CipherSuite.TLS_AES_128_GCM_SHA256)).cookieExchange(oursCookie).build();
    }

    /**
     * Our client: pins the server certificate's SHA-256 fingerprint. One configuration for every
     * connection, as an application keeps one: it carries the cache of server keys that makes the
     * ServerKeyExchange check cheaper from the fifth handshake on (no session is resumed: the
     * client config names no session to resume).
     */
    public synchronized DtlsConfig oursClient() {
        if (oursClient == null) {
            oursClient = DtlsConfig.forClient()
                    .peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.sha256(certificate()))))
                    .cipherSuites(SUITE).namedGroups(List.of(NamedGroup.SECP256R1)).protocols(oursProtocol)
                    .tls13CipherSuites(List.of(Tls13CipherSuite.TLS_AES_128_GCM_SHA256)).build();
        }
        return oursClient;
    }

    /** A PKCS#12 key store holding the key and certificate, for the JDK's KeyManagerFactory. */
    public KeyStore keyStore() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", jdkPrivateKey, PASSWORD, new X509Certificate[] {certificate()});
        return ks;
    }

    /** A key store trusting the certificate, for the JDK's TrustManagerFactory. */
    public KeyStore trustStore() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("server", certificate());
        return ks;
    }

    /** PEM files for OpenSSL, written once into a temporary directory. */
    public synchronized Path certPem() throws IOException {
        writePem();
        return certPem;
    }

    public synchronized Path keyPem() throws IOException {
        writePem();
        return keyPem;
    }

    private void writePem() throws IOException {
        if (certPem != null) {
            return;
        }
        Path dir = Files.createTempDirectory("dtlsip-bench");
        dir.toFile().deleteOnExit();
        certPem = dir.resolve("cert.pem");
        keyPem = dir.resolve("key.pem");
        Pem.writeCertificates(certPem, List.of(certificate()));
        Pem.writePrivateKey(keyPem, certifiedKey.privateKey());
        certPem.toFile().deleteOnExit();
        keyPem.toFile().deleteOnExit();
    }
}

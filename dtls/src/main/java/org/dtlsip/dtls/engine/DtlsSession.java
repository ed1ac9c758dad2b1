package org.dtlsip.dtls.engine;

import java.security.cert.X509Certificate;
import java.util.List;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.KeySchedule;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.record.ProtocolVersion;

/** What a completed handshake agreed: suite, group, certificates, and the master secret's uses. */
public final class DtlsSession {
    private final int version;
    private final CipherSuite cipherSuite;
    private final NamedGroup namedGroup;
    private final List<X509Certificate> peerCertificates;
    private final List<X509Certificate> localCertificates;
    private final boolean extendedMasterSecret;
    private final byte[] masterSecret;
    private final byte[] clientRandom;
    private final byte[] serverRandom;
    private final byte[] pskIdentity;

    DtlsSession(int version, CipherSuite cipherSuite, NamedGroup namedGroup, List<X509Certificate> peerCertificates,
            List<X509Certificate> localCertificates, boolean extendedMasterSecret, byte[] masterSecret,
            byte[] clientRandom, byte[] serverRandom, byte[] pskIdentity) {
        this.version = version;
        this.cipherSuite = cipherSuite;
        this.namedGroup = namedGroup;
        this.peerCertificates = List.copyOf(peerCertificates);
        this.localCertificates = List.copyOf(localCertificates);
        this.extendedMasterSecret = extendedMasterSecret;
        this.masterSecret = masterSecret.clone();
        this.clientRandom = clientRandom.clone();
        this.serverRandom = serverRandom.clone();
        this.pskIdentity = pskIdentity == null ? null : pskIdentity.clone();
    }

    /** The PSK identity used, or {@code null} for certificate suites. */
    public byte[] pskIdentity() {
        return pskIdentity == null ? null : pskIdentity.clone();
    }

    public String protocol() {
        return ProtocolVersion.name(version);
    }

    public CipherSuite cipherSuite() {
        return cipherSuite;
    }

    public NamedGroup namedGroup() {
        return namedGroup;
    }

    /** The peer's chain, leaf first; empty when the peer sent none. */
    public List<X509Certificate> peerCertificates() {
        return peerCertificates;
    }

    public List<X509Certificate> localCertificates() {
        return localCertificates;
    }

    public boolean extendedMasterSecret() {
        return extendedMasterSecret;
    }

    public byte[] clientRandom() {
        return clientRandom.clone();
    }

    /** NSS key log line (CLIENT_RANDOM) for Wireshark. Handle with care: it decrypts the session. */
    public String keyLogLine() {
        return "CLIENT_RANDOM " + org.dtlsip.dtls.util.Hex.encode(clientRandom) + " "
                + org.dtlsip.dtls.util.Hex.encode(masterSecret);
    }

    /** Keying material exporter (RFC 5705). */
    public byte[] exportKeyingMaterial(String label, byte[] context, int length) {
        return KeySchedule.exportKeyingMaterial(cipherSuite.prfHash, masterSecret, label, clientRandom,
                serverRandom, context, length);
    }

    @Override
    public String toString() {
        return protocol() + " " + cipherSuite.opensslName;
    }
}

package org.dtlsip.dtls.crypto;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * Decides whether the peer's certificate chain (leaf first, as received in the Certificate
 * message, RFC 5246 7.4.2) is acceptable. The handshake has already checked that the peer
 * holds the leaf's private key (signature on ServerKeyExchange / CertificateVerify); this
 * interface decides whether that key belongs to someone we trust.
 *
 * <p>Every built-in verifier rejects an empty chain with "peer sent no certificate".
 */
@FunctionalInterface
public interface PeerVerifier {
    /**
     * @throws CertificateException if the chain is not acceptable; the message is shown to the
     *     user and should say how to fix the configuration. The engine sends a bad_certificate
     *     alert (RFC 5246 7.2.2).
     */
    void verify(List<X509Certificate> chain) throws CertificateException;

    /**
     * Whether acceptance rests on an authority vouching for the names in the certificate, as
     * PKIX does: then the engine also checks the leaf's key usage and, on a client, that the
     * certificate names the server it asked for (RFC 9525). False for pinned fingerprints,
     * which match one exact certificate, and for accept-any.
     */
    default boolean requiresIdentityCheck() {
        return false;
    }

    /**
     * PKIX path validation (RFC 5280 section 6) against the given trust anchors, with revocation
     * checking off (DTLS peers are commonly offline or self-signed; CRL/OCSP is out of scope).
     * The engine adds the key-usage check and, on a client, the server's name (RFC 9525).
     */
    static PeerVerifier pkix(Collection<X509Certificate> trustAnchors) {
        return new PkixVerifier(trustAnchors);
    }

    /** Certificate pinning: the leaf's SHA-256 fingerprint must equal one of these. */
    static PeerVerifier fingerprints(Collection<byte[]> sha256s) {
        return new FingerprintVerifier(sha256s);
    }

    /** Accepts any certificate, logging a warning each time. For testing only. */
    static PeerVerifier insecureAcceptAny() {
        return new AcceptAnyVerifier();
    }

    /** Shared empty-chain check for the built-in verifiers. */
    static void requireCertificate(List<X509Certificate> chain) throws CertificateException {
        if (chain == null || chain.isEmpty()) {
            throw new CertificateException("peer sent no certificate");
        }
    }
}

package org.dtlsip.dtls.crypto;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Everything a peer's certificate chain must pass, in this order:
 * <ol>
 * <li>trust: the {@link PeerVerifier} (PKIX to trust anchors, a pinned fingerprint...);
 * <li>when that trust rests on an authority vouching for names (PKIX,
 *     {@link PeerVerifier#requiresIdentityCheck()}): the leaf's key usage for the peer's role,
 *     and its issuers' extended key usage ({@link KeyUsagePolicy}), then the identity asked
 *     for ({@link PeerIdentity}, a client checking its server; {@code null} for none).
 * </ol>
 * A pinned certificate is an exact match: it needs neither a name nor a key-usage check.
 * The same check decides whether a saved session may be resumed, so an abbreviated handshake
 * gives no more than a full one would (RFC 5246 7.3 leaves that policy to us).
 */
public record PeerCertificateCheck(PeerVerifier trust, KeyUsagePolicy.Purpose purpose, PeerIdentity identity) {
    /**
     * @throws CertificateException from the failing step: the trust decision, a
     *     {@link KeyUsagePolicy.UnsuitableCertificateException}, or the identity's mismatch
     */
    public void check(List<X509Certificate> chain) throws CertificateException {
        trust.verify(chain);
        if (!trust.requiresIdentityCheck()) {
            return;
        }
        KeyUsagePolicy.check(chain.get(0), purpose);
        KeyUsagePolicy.checkIssuers(chain, purpose);
        if (identity != null) {
            identity.check(chain.get(0));
        }
    }

    /** Whether {@link #check} passes, for decisions that need no reason (resumption). */
    public boolean accepts(List<X509Certificate> chain) {
        try {
            check(chain);
            return true;
        } catch (CertificateException e) {
            return false;
        }
    }
}

package org.dtlsip.dtls.crypto;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * PKIX validation with the JDK's CertPathValidator (RFC 5280 section 6), revocation off.
 *
 * <p>The received chain is cut at the first certificate that is itself a trust anchor, since
 * peers often include their root (RFC 5246 7.4.2 allows omitting it). If the leaf itself is a
 * trust anchor, as with a pinned self-signed certificate, only its validity period is checked.
 * A certificate outside its validity period is reported as such, with its dates, not as an
 * untrusted chain: the fix is a new certificate (or a corrected clock), not another CA.
 */
final class PkixVerifier implements PeerVerifier {
    private final Set<TrustAnchor> anchors;
    private final Set<X509Certificate> anchorCerts;

    PkixVerifier(Collection<X509Certificate> trustAnchors) {
        if (trustAnchors == null || trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("no trust anchors given; pass -CAfile with the "
                    + "peer's CA or self-signed certificate");
        }
        Set<TrustAnchor> a = new HashSet<>();
        for (X509Certificate c : trustAnchors) {
            a.add(new TrustAnchor(c, null));
        }
        this.anchors = Set.copyOf(a);
        this.anchorCerts = Set.copyOf(trustAnchors);
    }

    @Override
    public boolean requiresIdentityCheck() {
        return true;
    }

    @Override
    public void verify(List<X509Certificate> chain) throws CertificateException {
        PeerVerifier.requireCertificate(chain);
        int end = chain.size();
        for (int i = 0; i < chain.size(); i++) {
            if (anchorCerts.contains(chain.get(i))) {
                end = i;
                break;
            }
        }
        if (end == 0) {
            checkValidity(chain.get(0), "");
            return;
        }
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            CertPath path = cf.generateCertPath(chain.subList(0, end));
            PKIXParameters params = new PKIXParameters(anchors);
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(path, params);
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                    || e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                int index = e.getIndex() >= 0 && e.getIndex() < end ? e.getIndex() : 0;
                checkValidity(chain.get(index), index == 0 ? "" : " (the chain's certificate " + index + ")");
            }
            throw new CertificateException("peer certificate chain for '"
                    + chain.get(0).getSubjectX500Principal().getName()
                    + "' does not lead to a configured trust anchor (" + why(e)
                    + "); pass -CAfile with the issuing CA, or pin it with -fingerprint "
                    + Fingerprint.format(Fingerprint.sha256(chain.get(0))), e);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("cannot validate peer certificate chain: " + e, e);
        }
    }

    private static String why(CertPathValidatorException e) {
        if (e.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
            return "no trust anchor issued it";
        }
        return e.getMessage();
    }

    /**
     * @throws CertificateExpiredException / CertificateNotYetValidException naming the
     *     certificate, its validity period and the time it was checked at
     */
    private static void checkValidity(X509Certificate c, String which) throws CertificateException {
        Instant now = Instant.now();
        Instant notBefore = c.getNotBefore().toInstant();
        Instant notAfter = c.getNotAfter().toInstant();
        String period = " (valid from " + notBefore + " to " + notAfter + "; checked at " + now + ")";
        if (now.isAfter(notAfter)) {
            throw new CertificateExpiredException("peer certificate '" + c.getSubjectX500Principal().getName() + "'"
                    + which + " expired on " + notAfter + period + "; the peer needs a renewed certificate");
        }
        if (now.isBefore(notBefore)) {
            throw new CertificateNotYetValidException("peer certificate '" + c.getSubjectX500Principal().getName()
                    + "'" + which + " is not valid before " + notBefore + period
                    + "; check this host's clock or wait until then");
        }
    }
}

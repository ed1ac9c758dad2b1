package org.dtlsip.dtls.crypto;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts any peer that sends a certificate. The handshake still proves the peer holds the
 * certificate's key, but nothing says who the peer is, so a man in the middle goes unnoticed.
 * A warning is logged on every verification so the setting cannot be forgotten in production.
 */
final class AcceptAnyVerifier implements PeerVerifier {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptAnyVerifier.class);

    @Override
    public void verify(List<X509Certificate> chain) throws CertificateException {
        PeerVerifier.requireCertificate(chain);
        LOG.warn("accepting peer certificate '{}' without verification (insecure; configure "
                + "-CAfile or -fingerprint)", chain.get(0).getSubjectX500Principal().getName());
    }
}

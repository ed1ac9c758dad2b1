package org.dtlsip.dtls.crypto;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Who the peer must be, checked against its leaf certificate once the chain is trusted: the
 * name the client asked for (RFC 9525, {@link ServiceIdentity}), or an application's own rule
 * such as a SIP domain (RFC 5922). Trust alone is not enough: any certificate from a trusted CA
 * would otherwise impersonate any server.
 */
@FunctionalInterface
public interface PeerIdentity {
    /**
     * @throws CertificateException when the certificate does not name this identity; the
     *     message names both the expected identity and the certificate's names. The engine
     *     sends bad_certificate (RFC 5246 7.2.2).
     */
    void check(X509Certificate leaf) throws CertificateException;
}

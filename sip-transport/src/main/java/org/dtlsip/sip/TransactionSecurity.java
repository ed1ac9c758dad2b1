package org.dtlsip.sip;

import gov.nist.javax.sip.stack.MessageChannel;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.engine.DtlsSession;

/**
 * What {@code TransactionExt} reports about a secure transport (cipher suite, certificates,
 * SIP identities), answered from the DTLS session of the transaction's channel. The
 * transaction classes delegate here when their channel is a {@link DtlsMessageChannel}.
 */
final class TransactionSecurity {
    private TransactionSecurity() {
    }

    static DtlsSession session(MessageChannel channel) {
        return channel instanceof DtlsMessageChannel c ? c.session() : null;
    }

    /** The IANA name, as JSSE's {@code SSLSession.getCipherSuite()} gives it for TLS. */
    static String cipherSuite(DtlsSession s) {
        return s == null ? null : s.ianaCipherSuiteName();
    }

    static Certificate[] localCertificates(DtlsSession s) {
        return s == null ? null : s.localCertificates().toArray(new Certificate[0]);
    }

    static Certificate[] peerCertificates(DtlsSession s) {
        return s == null ? null : s.peerCertificates().toArray(new Certificate[0]);
    }

    /**
     * SIP identities of the peer's leaf certificate, RFC 5922 7.1: subjectAltName URIs with
     * scheme sip, else subjectAltName DNS names, and only when there is no subjectAltName at
     * all, the subject's CommonName ({@link SipDomainIdentity#identities}).
     */
    static List<String> identities(DtlsSession s) {
        if (s == null || s.peerCertificates().isEmpty()) {
            return new ArrayList<>();
        }
        try {
            return SipDomainIdentity.identities(s.peerCertificates().get(0));
        } catch (java.security.cert.CertificateException e) {
            return new ArrayList<>(); // a malformed subjectAltName names no one
        }
    }
}

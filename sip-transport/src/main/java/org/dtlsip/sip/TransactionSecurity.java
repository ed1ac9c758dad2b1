package org.dtlsip.sip;

import gov.nist.javax.sip.stack.MessageChannel;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.dtlsip.dtls.engine.DtlsSession;

/**
 * What {@code TransactionExt} reports about a secure transport (cipher suite, certificates,
 * SIP identities), answered from the DTLS session of the transaction's channel. The
 * transaction classes delegate here when their channel is a {@link DtlsMessageChannel}.
 */
final class TransactionSecurity {
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;

    private TransactionSecurity() {
    }

    static DtlsSession session(MessageChannel channel) {
        return channel instanceof DtlsMessageChannel c ? c.session() : null;
    }

    /** The IANA name, as JSSE's {@code SSLSession.getCipherSuite()} gives it for TLS. */
    static String cipherSuite(DtlsSession s) {
        return s == null ? null : s.cipherSuite().name();
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
     * all, the subject's CommonName.
     */
    static List<String> identities(DtlsSession s) {
        List<String> out = new ArrayList<>();
        if (s == null || s.peerCertificates().isEmpty()) {
            return out;
        }
        X509Certificate leaf = s.peerCertificates().get(0);
        Collection<List<?>> sans;
        try {
            sans = leaf.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return out;
        }
        if (sans != null && !sans.isEmpty()) {
            for (List<?> san : sans) {
                if (Integer.valueOf(SAN_URI).equals(san.get(0)) && san.get(1) instanceof String uri
                        && uri.regionMatches(true, 0, "sip:", 0, 4)) {
                    out.add(hostOf(uri.substring(4)));
                }
            }
            if (out.isEmpty()) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(SAN_DNS).equals(san.get(0)) && san.get(1) instanceof String dns) {
                        out.add(dns);
                    }
                }
            }
            return out;
        }
        try {
            for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    out.add(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            // no usable subject name
        }
        return out;
    }

    /** "user@host;params" or "host:port" to "host" (RFC 5922 7.1 compares domains). */
    private static String hostOf(String rest) {
        String h = rest.substring(rest.indexOf('@') + 1);
        int end = h.length();
        for (char c : new char[] {';', ':', '?', '>'}) {
            int i = h.indexOf(c);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        return h.substring(0, end);
    }
}

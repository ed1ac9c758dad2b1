package org.dtlsip.sip;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.dtlsip.dtls.crypto.DnsNames;
import org.dtlsip.dtls.crypto.PeerIdentity;
import org.dtlsip.dtls.crypto.ServiceIdentity;
import org.dtlsip.dtls.crypto.SubjectAltNames;

/**
 * A SIP domain a client is trying to reach, checked against a server's certificate as RFC 5922
 * says: the certificate's SIP identities (section 7.1) are the hosts of its subjectAltName
 * URIs with scheme {@code sip} and no userpart; only if it has none, its DNS subjectAltNames;
 * only if it has no subjectAltName at all, its subject CN. A domain matches one of them exactly, compared as
 * DNS names (case-insensitive, internationalized names as A-labels), never by suffix or
 * wildcard (section 7.2): {@code *.example.com} names no domain but itself.
 *
 * <p>RFC 5922 speaks of domain names. A SIP URI may name an IP address instead; such a
 * "domain" matches a {@code sip:} URI with that address or, as RFC 9525 6.5 allows, an
 * iPAddress subjectAltName with the same octets, never a DNS name or a CN.
 */
public final class SipDomainIdentity implements PeerIdentity {
    private final ServiceIdentity reference;

    /**
     * @param domain the host of the Request-URI, or of the Route or outbound proxy the request
     *     is sent to: the name the client resolved, never the address it resolved to
     * @throws IllegalArgumentException when it is neither a host name nor an IP address
     */
    public SipDomainIdentity(String domain) {
        this.reference = ServiceIdentity.of(domain);
    }

    /** The domain in A-labels, or the address in its usual text form. */
    public String domain() {
        return reference.name();
    }

    public boolean isIpAddress() {
        return reference.isIpAddress();
    }

    /**
     * The SIP identities of a certificate, RFC 5922 7.1, as written in it: what
     * {@code extractCertIdentities()} reports.
     */
    public static List<String> identities(X509Certificate leaf) throws CertificateException {
        SubjectAltNames sans = SubjectAltNames.of(leaf);
        List<String> out = new ArrayList<>();
        for (String uri : sans.uris()) {
            String domain = domainOf(uri);
            if (domain != null) {
                out.add(domain);
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        if (sans.present()) {
            return new ArrayList<>(sans.dnsNames());
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

    /** Whether the certificate is for this domain (RFC 5922 7.2, and 6.5 of RFC 9525 for addresses). */
    public boolean matches(X509Certificate leaf) throws CertificateException {
        if (reference.isIpAddress()) {
            // An address: an iPAddress subjectAltName octet for octet, or a sip URI naming it;
            // never a DNS name or a CN, which name hosts, not addresses.
            SubjectAltNames sans = SubjectAltNames.of(leaf);
            if (reference.matches(sans)) {
                return true;
            }
            for (String uri : sans.uris()) {
                String domain = domainOf(uri);
                if (domain != null && sameAddress(domain)) {
                    return true;
                }
            }
            return false;
        }
        for (String identity : identities(leaf)) {
            if (!identity.contains("*") && DnsNames.matches(toAscii(identity), reference.name())) {
                return true;
            }
        }
        return false;
    }

    /** A sip URI's host that is the same address (text forms compared once canonical). */
    private boolean sameAddress(String identity) {
        try {
            ServiceIdentity presented = ServiceIdentity.of(identity);
            return presented.isIpAddress() && presented.name().equals(reference.name());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void check(X509Certificate leaf) throws CertificateException {
        if (matches(leaf)) {
            return;
        }
        String domain = reference.name();
        List<String> identities = identities(leaf);
        throw new CertificateException("the certificate's SIP domains are " + identities + " (" + SubjectAltNames.of(leaf)
                + "), not '" + domain + "', the domain this request is sent to (RFC 5922: subjectAltName URI sip:"
                + domain + ", or DNS:" + domain + " when the certificate has no sip URI; no wildcards); "
                + "send to a domain the certificate holds or have it reissued for '" + domain + "'");
    }

    /** Compares as DNS names: a presented U-label is converted to its A-label (RFC 5280 7.2). */
    private static String toAscii(String presented) {
        try {
            return DnsNames.reference(presented);
        } catch (IllegalArgumentException e) {
            return presented.toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The SIP domain a subjectAltName URI names, or {@code null}: RFC 5922 7.1 adds a URI to the
     * SIP domain identities only if its scheme is {@code sip} and it has no userpart. A URI
     * such as {@code sip:alice@example.com} identifies a user of the domain, not the domain: a
     * user's certificate from the same CA must not pass for the domain's proxy. Any {@code @}
     * marks a userpart, since neither parameters nor headers of a SIP URI may contain one
     * unescaped (RFC 3261 25.1).
     */
    static String domainOf(String uri) {
        if (!uri.regionMatches(true, 0, "sip:", 0, 4) || uri.indexOf('@') >= 0) {
            return null;
        }
        return hostOf(uri.substring(4));
    }

    /** "host;params" or "host:port" to "host": RFC 5922 7.2 compares domains only. */
    static String hostOf(String h) {
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close > 0 ? h.substring(0, close + 1) : h;
        }
        int end = h.length();
        for (char c : new char[] {';', ':', '?', '>'}) {
            int i = h.indexOf(c);
            if (i >= 0) {
                end = Math.min(end, i);
            }
        }
        return h.substring(0, end);
    }

    @Override
    public String toString() {
        return "SIP domain " + reference.name();
    }
}

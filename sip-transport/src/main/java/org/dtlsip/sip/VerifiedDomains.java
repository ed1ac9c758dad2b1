package org.dtlsip.sip;

import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SIP domains one association's peer is known to serve: the domain its client handshake
 * checked (RFC 5922 7.3), and each further one its certificate is found to name when a later
 * request goes to it over the same association (RFC 5923 5 asks the same before a connection
 * is reused for another domain). A request to an address rather than a domain (a dialog's
 * remote target usually is one) goes over the association if its peer is authenticated at
 * all: by our client handshake, or by the client certificate it presented. The address is
 * where the association already goes; but a peer that opened it without a certificate is
 * whoever got there first, e.g. someone who rewrote a Contact to point at itself, whom a new
 * association would have refused (it must present a certificate naming the address).
 */
final class VerifiedDomains {
    /** In A-labels, as {@link SipDomainIdentity#domain()} gives them. */
    private final Set<String> domains = new HashSet<>();
    /** Whether our client handshake authenticated the peer as a server. */
    private final boolean serverChecked;

    /** @param handshakeDomain the domain the client handshake checked, or {@code null} (we are the server) */
    VerifiedDomains(SipDomainIdentity handshakeDomain) {
        serverChecked = handshakeDomain != null;
        if (handshakeDomain != null) {
            domains.add(handshakeDomain.domain());
        }
    }

    /**
     * Why a request to {@code domain} must not go to {@code peer}, whose certificate chain is
     * {@code peerCertificates}; {@code null} when it may (and {@code domain} is remembered).
     */
    synchronized String refusal(String domain, List<X509Certificate> peerCertificates, InetSocketAddress peer) {
        if (domain == null) {
            return null;
        }
        SipDomainIdentity identity;
        try {
            identity = new SipDomainIdentity(domain);
        } catch (IllegalArgumentException e) {
            return "cannot check the SIP domain of a request to " + peer + ": " + e.getMessage();
        }
        if (domains.contains(identity.domain()) || identity.isIpAddress() && (serverChecked || !peerCertificates.isEmpty())) {
            return null;
        }
        if (peerCertificates.isEmpty() && identity.isIpAddress()) {
            return "the DTLS peer " + peer + " connected to us without a certificate, so a request to the address "
                    + identity.domain() + " is not sent over its association: it is not known to be who a new association "
                    + "to that address would accept (require client certificates: "
                    + "gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE=Enabled)";
        }
        if (peerCertificates.isEmpty()) {
            return "the DTLS peer " + peer + " connected to us without a certificate, so it is not known to serve the SIP "
                    + "domain '" + identity.domain() + "' (RFC 5922, RFC 5923 5); a request to that domain is not sent "
                    + "over its association (require client certificates: gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE=Enabled)";
        }
        try {
            identity.check(peerCertificates.get(0));
        } catch (CertificateException e) {
            return "DTLS peer " + peer + " is not the SIP domain '" + identity.domain() + "': " + e.getMessage();
        }
        domains.add(identity.domain());
        return null;
    }
}

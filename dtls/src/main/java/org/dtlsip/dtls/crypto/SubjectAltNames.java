package org.dtlsip.dtls.crypto;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.dtlsip.dtls.util.Hex;

/**
 * The identifiers a certificate presents in its subjectAltName extension (RFC 5280 4.2.1.6):
 * DNS names, IP addresses and URIs; other name types are not identities we check. IP
 * addresses are kept as the raw octets of the extension (4 for IPv4, 16 for IPv6), because
 * RFC 9525 6.5 compares them byte for byte, not as text.
 *
 * @param present whether the certificate has a subjectAltName extension at all (RFC 5922 7.1
 *     lets SIP look at the subject CN only when it has none)
 */
public record SubjectAltNames(boolean present, List<String> dnsNames, List<byte[]> ipAddresses, List<String> uris) {
    public SubjectAltNames {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = ipAddresses.stream().map(byte[]::clone).toList();
        uris = List.copyOf(uris);
    }

    /**
     * The subjectAltName identifiers of {@code certificate}.
     *
     * @throws CertificateException when the extension is present but not valid DER, so that a
     *     mangled extension is refused rather than read as "no names"
     */
    public static SubjectAltNames of(X509Certificate certificate) throws CertificateException {
        byte[] extension = certificate.getExtensionValue(Extension.subjectAlternativeName.getId());
        List<String> dns = new ArrayList<>();
        List<byte[]> ips = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        if (extension == null) {
            return new SubjectAltNames(false, dns, ips, uris);
        }
        try {
            GeneralNames names = GeneralNames.getInstance(ASN1OctetString.getInstance(extension).getOctets());
            for (GeneralName name : names.getNames()) {
                switch (name.getTagNo()) {
                    case GeneralName.dNSName -> dns.add(ASN1IA5String.getInstance(name.getName()).getString());
                    case GeneralName.iPAddress -> ips.add(ASN1OctetString.getInstance(name.getName()).getOctets());
                    case GeneralName.uniformResourceIdentifier ->
                            uris.add(ASN1IA5String.getInstance(name.getName()).getString());
                    default -> {
                        // rfc822Name, directoryName, otherName...: not service identities.
                    }
                }
            }
        } catch (RuntimeException e) {
            // Bouncy Castle reads the peer's bytes here, and malformed ones surface as any of
            // IllegalArgument/IllegalState/NullPointer/ClassCast exceptions (an empty value,
            // for one, parses to null): all mean a corrupt certificate, bad_certificate
            // (RFC 5246 7.2.2), never an internal error.
            throw new CertificateException("malformed subjectAltName extension in '"
                    + certificate.getSubjectX500Principal().getName() + "': " + e, e);
        }
        return new SubjectAltNames(true, dns, ips, uris);
    }

    /** No DNS name, IP address or URI at all. */
    public boolean isEmpty() {
        return dnsNames.isEmpty() && ipAddresses.isEmpty() && uris.isEmpty();
    }

    /** An address as text: dotted quad, RFC 5952-ish IPv6, or hex for a length that is neither. */
    static String formatAddress(byte[] octets) {
        if (octets.length == 4 || octets.length == 16) {
            try {
                return InetAddress.getByAddress(octets).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // cannot happen for 4 or 16 octets
            }
        }
        return "0x" + Hex.encode(octets);
    }

    /** OpenSSL's notation, e.g. {@code DNS:a.example, IP Address:127.0.0.1, URI:sip:a.example}. */
    @Override
    public String toString() {
        List<String> all = new ArrayList<>();
        dnsNames.forEach(d -> all.add("DNS:" + d));
        ipAddresses.forEach(ip -> all.add("IP Address:" + formatAddress(ip)));
        uris.forEach(u -> all.add("URI:" + u));
        return all.isEmpty() ? (present ? "no DNS, IP or URI subjectAltName" : "no subjectAltName") : String.join(", ", all);
    }
}

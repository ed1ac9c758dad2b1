package org.dtlsip.dtls.crypto;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A reference identifier of RFC 9525: the DNS name (DNS-ID, section 6.3) or IP address (IP-ID,
 * section 6.5) a client expects the server's certificate to present in its subjectAltName.
 * The subject's CommonName is never consulted (RFC 9525 drops the CN-ID of RFC 6125), and a
 * wildcard never stands for an IP address. Immutable.
 */
public final class ServiceIdentity implements PeerIdentity {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private final String name;
    private final byte[] address;

    private ServiceIdentity(String name, byte[] address) {
        this.name = name;
        this.address = address;
    }

    /**
     * The identity for a host as a user writes it: an IPv4 or IPv6 literal (brackets allowed)
     * is an IP-ID, anything else a DNS-ID.
     *
     * @throws IllegalArgumentException when it is neither an address nor a valid host name
     */
    public static ServiceIdentity of(String host) {
        byte[] address = literal(host);
        return address != null ? new ServiceIdentity(SubjectAltNames.formatAddress(address), address) : dns(host);
    }

    /** A DNS-ID; internationalized names are converted to A-labels. */
    public static ServiceIdentity dns(String host) {
        if (literal(host) != null) {
            throw new IllegalArgumentException("'" + host + "' is an IP address, not a host name; check it as an address");
        }
        return new ServiceIdentity(DnsNames.reference(host), null);
    }

    /** An IP-ID. */
    public static ServiceIdentity ip(String address) {
        byte[] octets = literal(address);
        if (octets == null) {
            throw new IllegalArgumentException("'" + address + "' is not an IPv4 or IPv6 address");
        }
        return new ServiceIdentity(SubjectAltNames.formatAddress(octets), octets);
    }

    /**
     * The octets of an IPv4 dotted quad or an IPv6 literal, or {@code null}. Only strings that
     * are certainly literals reach InetAddress, so this never asks DNS. An IPv6 zone
     * ({@code fe80::1%eth0}, RFC 4007 11) selects one of this host's interfaces: it is no part of
     * the address a certificate names, so it is dropped (the connection still uses it).
     */
    static byte[] literal(String host) {
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        int zone = h.indexOf('%');
        if (zone > 0 && h.indexOf(':') >= 0) {
            h = h.substring(0, zone);
        }
        boolean v4 = IPV4.matcher(h).matches();
        boolean v6 = !v4 && h.indexOf(':') >= 0 && IPV6.matcher(h).matches();
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(v6 ? "[" + h + "]" : h).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The name in A-labels, or the address in its usual text form. */
    public String name() {
        return name;
    }

    public boolean isIpAddress() {
        return address != null;
    }

    /** Whether the certificate presents this identity (RFC 9525 6.3 and 6.5). */
    public boolean matches(SubjectAltNames presented) {
        if (address != null) {
            // 6.5: an IP-ID matches byte for byte, 4 octets for IPv4, 16 for IPv6.
            return presented.ipAddresses().stream().anyMatch(ip -> Arrays.equals(ip, address));
        }
        return presented.dnsNames().stream().anyMatch(dns -> DnsNames.matches(dns, name));
    }

    @Override
    public void check(X509Certificate leaf) throws CertificateException {
        SubjectAltNames presented = SubjectAltNames.of(leaf);
        if (matches(presented)) {
            return;
        }
        String kind = address != null ? "IP address" : "host name";
        String fix = "; connect by a name it holds, set the expected name (expectedServerName, -verify_hostname, "
                + "-verify_ip), or turn the name check off (noServerNameCheck, -noverify_name)";
        if (presented.isEmpty()) {
            throw new CertificateException("the certificate has " + presented + ", only the subject "
                    + leaf.getSubjectX500Principal().getName() + ", and RFC 9525 no longer accepts a CN: it must carry "
                    + (address != null ? "subjectAltName IP:" : "subjectAltName DNS:") + name + " to be accepted for the "
                    + kind + " '" + name + "'" + fix);
        }
        throw new CertificateException("the certificate is for " + presented + ", not for the " + kind + " '" + name
                + "' (RFC 9525: subjectAltName only, the CN is not used" + (address != null ? ", no wildcards for addresses" : "")
                + ")" + fix);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServiceIdentity s && s.name.equals(name) && Arrays.equals(s.address, address);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return (address != null ? "IP:" : "DNS:") + name.toLowerCase(Locale.ROOT);
    }
}

package org.dtlsip.dtls.util;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Socket addresses as people write them: {@code 127.0.0.1:4433} and {@code [::1]:5108}, not
 * {@link InetSocketAddress#toString()}'s {@code /127.0.0.1:4433} and
 * {@code /0:0:0:0:0:0:0:1:5108}. IPv6 in the RFC 5952 4 form: lower case, no leading zeros, the
 * longest run of two or more zero groups (the first of equals) as {@code ::}; in brackets before
 * a port (RFC 3986 3.2.2).
 */
public final class Addresses {
    private static final int GROUPS = 8;

    private Addresses() {
    }

    /** {@code host:port}; an unresolved address keeps its host name. */
    public static String format(InetSocketAddress address) {
        if (address.getAddress() == null) {
            String host = address.getHostString();
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
        }
        InetAddress ip = address.getAddress();
        String host = format(ip);
        return (ip instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** An IP address without brackets: dotted quad, or RFC 5952 IPv6 (with {@code %scope} if any). */
    public static String format(InetAddress ip) {
        if (!(ip instanceof Inet6Address v6)) {
            return ip.getHostAddress();
        }
        byte[] b = v6.getAddress();
        int[] groups = new int[GROUPS];
        for (int i = 0; i < GROUPS; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        // RFC 5952 4.2: the longest run of zero groups, at least two long; the first if tied.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < GROUPS; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < GROUPS && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < GROUPS; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        String scope = v6.getScopeId() != 0 ? "%" + v6.getScopeId()
                : v6.getScopedInterface() != null ? "%" + v6.getScopedInterface().getName() : "";
        return s + scope;
    }
}

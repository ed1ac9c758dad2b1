package org.dtlsip.dtls.crypto;

import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;

/**
 * DNS names as RFC 9525 compares them: the reference name in A-labels (section 6.3, via
 * RFC 5890), compared case-insensitively in ASCII (RFC 4343), with a wildcard only as the
 * complete left-most label of a presented DNS-ID, matching exactly one label.
 */
public final class DnsNames {
    /** RFC 1035 2.3.4: at most 63 octets in a label... */
    static final int MAX_LABEL_LENGTH = 63;
    /** ...and 253 in a name written without its trailing dot. */
    static final int MAX_NAME_LENGTH = 253;

    private DnsNames() {
    }

    /**
     * {@code name} as a reference identifier: U-labels converted to A-labels, lower case, no
     * trailing dot.
     *
     * @throws IllegalArgumentException when it is not a host name (empty labels, a wildcard,
     *     characters outside letters, digits and hyphens once converted, or too long)
     */
    public static String reference(String name) {
        String given = stripTrailingDot(name.trim());
        String ascii;
        try {
            ascii = IDN.toASCII(given, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + name + "' is not a valid host name: " + e.getMessage(), e);
        }
        ascii = ascii.toLowerCase(Locale.ROOT);
        requireSameNameUnderIdna2008(name, given, ascii);
        if (ascii.isEmpty() || ascii.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("'" + name + "' is not a valid host name (1 to " + MAX_NAME_LENGTH
                    + " characters)");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
                throw new IllegalArgumentException("'" + name + "' is not a valid host name (empty or over-long label)");
            }
        }
        if (endsInANumber(ascii)) {
            throw new IllegalArgumentException("'" + name + "' is no host name: it ends in a number, which no DNS name "
                    + "does (RFC 3696 2), and resolvers read such a string as an IPv4 address (127.1 is 127.0.0.1): "
                    + "write an address as a dotted quad, e.g. 127.0.0.1, to check it as an address");
        }
        return ascii;
    }

    /**
     * Whether a presented DNS-ID matches a reference name from {@link #reference} (RFC 9525
     * 6.3). A presented name that is not plain ASCII never matches: certificates carry A-labels.
     */
    public static boolean matches(String presented, String reference) {
        if (presented == null || !isAscii(presented)) {
            return false;
        }
        String p = stripTrailingDot(presented).toLowerCase(Locale.ROOT);
        if (endsInANumber(p) || endsInANumber(reference)) {
            return false; // an address written as a name ("DNS:127.0.0.1", "*.0.0.1") is no DNS-ID
        }
        if (!p.startsWith("*.")) {
            // A '*' anywhere but as the whole left-most label ("f*o.example", "a.*.example")
            // is no wildcard RFC 9525 6.3 accepts, and no host has such a name.
            return !p.contains("*") && p.equals(reference);
        }
        String parent = p.substring(2);
        // The wildcard stands for one whole label, never for an IP address (6.3, 7.1), and
        // never directly under a single label ("*.com", "*.local"): a suffix that names no
        // one organisation. Public suffixes of two labels ("*.co.uk") would need the Public
        // Suffix List; CAs refuse to issue those.
        if (parent.contains("*") || parent.indexOf('.') < 0) {
            return false;
        }
        int dot = reference.indexOf('.');
        return dot > 0 && reference.substring(dot + 1).equals(parent);
    }

    /**
     * java.net.IDN implements IDNA2003, which maps some characters to others before encoding:
     * ß to "ss", final sigma to sigma, full-width letters and dots to ASCII, and drops the
     * joiners U+200C/U+200D. IDNA2008 (RFC 5890-5892, the A-labels RFC 9525 6.3 compares)
     * maps nothing: ß and ς are their own A-labels, the rest are not allowed. A name IDNA2003
     * changes would be checked as a different name, perhaps another registrant's ("faß" as
     * "fass"), so each non-ASCII label must come back unchanged from its A-label; otherwise
     * the caller has to give the A-label. ASCII labels, A-labels included, are taken as given.
     */
    private static void requireSameNameUnderIdna2008(String name, String given, String ascii) {
        String[] givenLabels = given.split("\\.", -1);
        String[] asciiLabels = ascii.split("\\.", -1);
        boolean same = givenLabels.length == asciiLabels.length;
        for (int i = 0; same && i < givenLabels.length; i++) {
            String label = givenLabels[i];
            if (!isAscii(label)) {
                String lower = Normalizer.normalize(label.toLowerCase(Locale.ROOT), Normalizer.Form.NFC);
                same = IDN.toUnicode(asciiLabels[i]).equals(lower);
            }
        }
        if (!same) {
            throw new IllegalArgumentException("'" + name + "' would be checked as '" + ascii + "' (IDNA2003 maps some "
                    + "characters, IDNA2008 does not): give the name in A-labels (xn--...), as its certificate and DNS "
                    + "hold it");
        }
    }

    /**
     * Whether the last label is all digits, or 0x and hex digits: no top-level domain is
     * all-numeric (RFC 3696 2), and inet_aton, Java's InetAddress and the WHATWG URL parser
     * all take such names ("127.1", "2130706433", "10.0x1") for IPv4 addresses.
     */
    static boolean endsInANumber(String name) {
        String last = name.substring(name.lastIndexOf('.') + 1);
        int start = last.length() > 2 && (last.startsWith("0x") || last.startsWith("0X")) ? 2 : 0;
        if (last.isEmpty()) {
            return false;
        }
        for (int i = start; i < last.length(); i++) {
            char c = last.charAt(i);
            boolean digit = c >= '0' && c <= '9' || start == 2 && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
            if (!digit) {
                return false;
            }
        }
        return true;
    }

    private static String stripTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7e || s.charAt(i) < 0x21) {
                return false;
            }
        }
        return true;
    }
}

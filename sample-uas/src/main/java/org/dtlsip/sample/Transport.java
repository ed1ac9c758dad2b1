package org.dtlsip.sample;

import java.util.Locale;

/** The SIP transports the samples speak, with their JAIN-SIP names and URI parameters. */
public enum Transport {
    UDP("UDP", "udp", 5060, false),
    TCP("TCP", "tcp", 5060, false),
    TLS("TLS", "tls", 5061, true),
    DTLS_UDP("DTLS-UDP", "dtls-udp", 5061, true);

    private final String sipName;
    private final String uriParam;
    private final int defaultPort;
    private final boolean secure;

    Transport(String sipName, String uriParam, int defaultPort, boolean secure) {
        this.sipName = sipName;
        this.uriParam = uriParam;
        this.defaultPort = defaultPort;
        this.secure = secure;
    }

    /** The name JAIN-SIP uses (Via, listening points). */
    public String sipName() {
        return sipName;
    }

    /** The value of a SIP URI's {@code transport} parameter. */
    public String uriParam() {
        return uriParam;
    }

    /** RFC 3261 19.1.2 (5060, and 5061 for TLS); draft-jennings-sip-dtls uses 5061 for DTLS-UDP. */
    public int defaultPort() {
        return defaultPort;
    }

    /** Carries certificates (TLS, DTLS-UDP). */
    public boolean secure() {
        return secure;
    }

    /** Runs over UDP sockets (UDP, DTLS-UDP) rather than TCP. */
    public boolean datagram() {
        return this == UDP || this == DTLS_UDP;
    }

    /**
     * Parses {@code udp}, {@code tcp}, {@code tls}, {@code dtls-udp} or {@code dtls} (another
     * name of dtls-udp, which reSIProcate uses), in any case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Transport parse(String s) {
        String t = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        if (isDtlsAlias(t)) {
            return DTLS_UDP;
        }
        for (Transport x : values()) {
            if (x.uriParam.equals(t)) {
                return x;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + s + "': use udp, tcp, tls, dtls-udp or dtls");
    }

    /** Whether {@code s} is {@code dtls}, the name some stacks give dtls-udp (Via {@code SIP/2.0/DTLS}). */
    public static boolean isDtlsAlias(String s) {
        return "dtls".equalsIgnoreCase(s == null ? null : s.trim());
    }

    @Override
    public String toString() {
        return sipName;
    }
}

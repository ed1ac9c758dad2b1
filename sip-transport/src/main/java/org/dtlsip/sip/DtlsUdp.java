package org.dtlsip.sip;

/**
 * Names and numbers of the DTLS-UDP transport, following draft-jennings-sip-dtls ("SIP over
 * DTLS"): Via transport token {@code DTLS-UDP}, URI parameter {@code transport=dtls-udp}, and
 * 5061 as the default port, as for SIP over TLS (RFC 3261 19.1.2). The port is the draft's
 * convention, not an IANA registration.
 */
public final class DtlsUdp {
    /** The Via sent-protocol transport and the JAIN-SIP transport name. */
    public static final String TRANSPORT = "DTLS-UDP";
    /** The value of the SIP URI {@code transport} parameter (lower case, RFC 3261 19.1.1). */
    public static final String URI_TRANSPORT = "dtls-udp";
    /** Where a URI or Via without a port points for this transport. */
    public static final int DEFAULT_PORT = 5061;

    private DtlsUdp() {
    }

    public static boolean is(String transport) {
        return TRANSPORT.equalsIgnoreCase(transport);
    }
}

package org.dtlsip.sip;

import java.util.Locale;

/**
 * Names and numbers of the DTLS-UDP transport, following draft-jennings-sip-dtls ("SIP over
 * DTLS"): Via transport token {@code DTLS-UDP}, URI parameter {@code transport=dtls-udp}, and
 * 5061 as the default port, as for SIP over TLS (RFC 3261 19.1.2). The port is the draft's
 * convention, not an IANA registration.
 *
 * <p>No RFC registers a token for SIP over DTLS, and deployed stacks disagree: reSIProcate, the
 * other open stack with a DTLS transport, writes {@code SIP/2.0/DTLS} and
 * {@code transport=dtls}. Both names are accepted on receipt ({@link #is}); which one we write
 * is {@link DtlsSipProperties#TRANSPORT_TOKEN}.
 */
public final class DtlsUdp {
    /** The Via sent-protocol transport and the JAIN-SIP transport name. */
    public static final String TRANSPORT = "DTLS-UDP";
    /** The value of the SIP URI {@code transport} parameter (lower case, RFC 3261 19.1.1). */
    public static final String URI_TRANSPORT = "dtls-udp";
    /** The token reSIProcate writes in Via ({@code SIP/2.0/DTLS}) and URIs ({@code transport=dtls}). */
    public static final String DTLS = "DTLS";
    /** Where a URI or Via without a port points for this transport. */
    public static final int DEFAULT_PORT = 5061;

    private DtlsUdp() {
    }

    /**
     * Whether {@code transport} names this transport: {@code DTLS-UDP} or {@code DTLS}, in any
     * case (transport tokens are case-insensitive, RFC 3261 7.3.1 and 19.1.4).
     */
    public static boolean is(String transport) {
        return TRANSPORT.equalsIgnoreCase(transport) || DTLS.equalsIgnoreCase(transport);
    }

    /** {@code transport} in upper case if it names this transport, else {@code null}. */
    static String token(String transport) {
        return is(transport) ? transport.toUpperCase(Locale.ROOT) : null;
    }
}

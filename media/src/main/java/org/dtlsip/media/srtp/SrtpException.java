package org.dtlsip.media.srtp;

/** A received SRTP or SRTCP packet was discarded; {@link #reason()} says why. */
public final class SrtpException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a packet was discarded (RFC 3711 3.3, 3.4). */
    public enum Reason {
        /** Too short for its header and tag, or not RTP/RTCP at all. */
        MALFORMED,
        /** The authentication tag (HMAC or GCM) did not verify: wrong key, tampered, or not from the peer. */
        AUTHENTICATION_FAILED,
        /** This index was already accepted (RFC 3711 3.3.2). */
        REPLAYED,
        /** Older than the replay window can tell (RFC 3711 3.3.2). */
        TOO_OLD,
        /** A new SSRC beyond {@link SrtpReceiver#MAX_STREAMS}. */
        TOO_MANY_STREAMS,
        /** The packet says it is not encrypted, which this profile does not accept. */
        UNSUPPORTED
    }

    private final Reason reason;

    public SrtpException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

package org.dtlsip.media.session;

import java.util.Locale;

/**
 * SDP {@code a=setup} (RFC 4145 4) as DTLS-SRTP uses it (RFC 5763 5, RFC 8842 5.2): who opens
 * the DTLS association. The offerer says {@code actpass}; the answerer picks {@code active}
 * (it becomes the DTLS client, so its ClientHello can go out with the answer) or
 * {@code passive}; {@code holdconn} is refused.
 */
public enum SetupRole {
    ACTIVE, PASSIVE, ACTPASS, HOLDCONN;

    public static SetupRole parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a=setup:" + value + " is none of active, passive, actpass, holdconn (RFC 4145 4)");
        }
    }

    /** The SDP token. */
    public String token() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The answerer's role for this offered one: {@code active} to {@code actpass} (RFC 5763 5:
     * "the answerer MUST use either active or passive", and active is preferred) and to
     * {@code passive}; {@code passive} to {@code active}.
     *
     * @throws IllegalArgumentException for {@code holdconn}: no association is wanted
     */
    public SetupRole answer() {
        return switch (this) {
            case ACTPASS, PASSIVE -> ACTIVE;
            case ACTIVE -> PASSIVE;
            case HOLDCONN -> throw new IllegalArgumentException("a=setup:holdconn: the offerer wants no DTLS association yet");
        };
    }

    /** Whether the side that declared this (final) role is the DTLS client. */
    public boolean dtlsClient() {
        if (this == ACTPASS || this == HOLDCONN) {
            throw new IllegalStateException("a=setup:" + token() + " is an offer, not a final role");
        }
        return this == ACTIVE;
    }
}

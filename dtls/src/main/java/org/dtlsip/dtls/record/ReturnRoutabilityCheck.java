package org.dtlsip.dtls.record;

import org.dtlsip.dtls.util.DecodeException;

/**
 * One return_routability_check message (RFC 9853 4, Figure 1), the body of a record of content
 * type {@link ContentType#RETURN_ROUTABILITY_CHECK}:
 *
 * <pre>
 * uint64 Cookie;
 * enum { path_challenge(0), path_response(1), path_drop(2), (255) } rrc_msg_type;
 * struct {
 *     rrc_msg_type msg_type;
 *     select (return_routability_check.msg_type) {
 *         case path_challenge: Cookie;
 *         case path_response:  Cookie;
 *         case path_drop:      Cookie;
 *     };
 * } return_routability_check;
 * </pre>
 *
 * Immutable. A message type this implementation does not know is not an error: RFC 9853 4 has
 * it parsed and ignored gracefully, so {@link #knownType} is asked before {@link #decode}.
 *
 * @param type the message type
 * @param cookie the 64 bits of entropy the challenger chose; a response echoes them
 */
public record ReturnRoutabilityCheck(MessageType type, long cookie) {
    /** RFC 9853 4: "an 8-byte field containing 64 bits of entropy". */
    public static final int COOKIE_LENGTH = 8;
    /** msg_type and the cookie: every message of the three defined types has exactly this length. */
    public static final int LENGTH = 1 + COOKIE_LENGTH;

    /** The "TLS RRC Message Types" registry's initial entries (RFC 9853 10.3, Table 2). */
    public enum MessageType {
        /** Sent by the initiator to the path being checked (RFC 9853 5.1 step 1). */
        PATH_CHALLENGE(0),
        /** Echoes a challenge's cookie on a path the responder prefers (RFC 9853 5.1 step 3, 5.2 step 3). */
        PATH_RESPONSE(1),
        /** Echoes a challenge's cookie on a path the responder no longer prefers (RFC 9853 5.2 step 3). */
        PATH_DROP(2);

        private static final MessageType[] BY_CODE = new MessageType[256];

        static {
            for (MessageType t : values()) {
                BY_CODE[t.code] = t;
            }
        }

        public final int code;

        MessageType(int code) {
            this.code = code;
        }

        /** The type for a wire value, or {@code null} for one this implementation does not know. */
        public static MessageType of(int code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }

        /** The RFC's name, for logs. */
        public String rfcName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ReturnRoutabilityCheck {
        java.util.Objects.requireNonNull(type, "type");
    }

    /** Whether {@code body} starts with a message type of RFC 9853 (false when empty too). */
    public static boolean knownType(byte[] body) {
        return body.length > 0 && MessageType.of(body[0] & 0xff) != null;
    }

    /**
     * Parses a record body of a known message type.
     *
     * @throws DecodeException when the body is empty, of an unknown type, or not exactly
     *     {@link #LENGTH} bytes
     */
    public static ReturnRoutabilityCheck decode(byte[] body) {
        if (body.length == 0) {
            throw new DecodeException("empty return_routability_check message");
        }
        MessageType type = MessageType.of(body[0] & 0xff);
        if (type == null) {
            throw new DecodeException("unknown return_routability_check msg_type " + (body[0] & 0xff));
        }
        if (body.length != LENGTH) {
            throw new DecodeException(type.rfcName() + " of " + (body.length - 1) + " bytes after msg_type; its cookie has "
                    + COOKIE_LENGTH + " (RFC 9853 4)");
        }
        long cookie = 0;
        for (int i = 1; i < LENGTH; i++) {
            cookie = (cookie << 8) | (body[i] & 0xff);
        }
        return new ReturnRoutabilityCheck(type, cookie);
    }

    /** The record body: msg_type, then the cookie in network byte order. */
    public byte[] encode() {
        byte[] out = new byte[LENGTH];
        out[0] = (byte) type.code;
        for (int i = 0; i < COOKIE_LENGTH; i++) {
            out[LENGTH - 1 - i] = (byte) (cookie >>> (8 * i));
        }
        return out;
    }

    /** The answer a responder sends for this challenge: the same cookie (RFC 9853 5.1 step 3). */
    public ReturnRoutabilityCheck answer(MessageType answerType) {
        if (type != MessageType.PATH_CHALLENGE || answerType == MessageType.PATH_CHALLENGE) {
            throw new IllegalArgumentException("only a path_challenge is answered, with path_response or path_drop");
        }
        return new ReturnRoutabilityCheck(answerType, cookie);
    }
}

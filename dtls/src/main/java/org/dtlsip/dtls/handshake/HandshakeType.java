package org.dtlsip.dtls.handshake;

/** HandshakeType values (RFC 5246 7.4, RFC 6347 4.3.2, RFC 5077 3.3). */
public enum HandshakeType {
    HELLO_REQUEST(0),
    CLIENT_HELLO(1),
    SERVER_HELLO(2),
    HELLO_VERIFY_REQUEST(3),
    NEW_SESSION_TICKET(4),
    CERTIFICATE(11),
    SERVER_KEY_EXCHANGE(12),
    CERTIFICATE_REQUEST(13),
    SERVER_HELLO_DONE(14),
    CERTIFICATE_VERIFY(15),
    CLIENT_KEY_EXCHANGE(16),
    FINISHED(20);

    public final int code;

    HandshakeType(int code) {
        this.code = code;
    }

    /** The handshake type for a wire value, or {@code null} when unknown. */
    public static HandshakeType of(int code) {
        for (HandshakeType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}

package org.dtlsip.dtls.handshake;

/**
 * HandshakeType values (RFC 5246 7.4, RFC 6347 4.3.2, RFC 5077 3.3), then those DTLS 1.3 adds
 * (RFC 8446 4, RFC 9147 5.2). The synthetic message_hash (254, RFC 8446 4.4.1) only ever
 * appears inside a transcript ({@link Transcript13}), never on the wire, so it is not here and
 * the {@link Reassembler} treats it as unknown.
 */
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
    FINISHED(20),
    /** RFC 8446 4.5; 0-RTT is not supported, so it is only recognised to be refused. */
    END_OF_EARLY_DATA(5),
    /** RFC 8446 4.3.1. */
    ENCRYPTED_EXTENSIONS(8),
    /** RFC 9147 9. */
    REQUEST_CONNECTION_ID(9),
    /** RFC 9147 9. */
    NEW_CONNECTION_ID(10),
    /** RFC 8446 4.6.3. */
    KEY_UPDATE(24);

    /** Wire value to type, one array read: the lookup runs for every record, and values() copies. */
    private static final HandshakeType[] BY_CODE = new HandshakeType[256];

    static {
        for (HandshakeType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    public final int code;

    HandshakeType(int code) {
        this.code = code;
    }

    /** The handshake type for a wire value, or {@code null} when unknown. */
    public static HandshakeType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}

package org.dtlsip.dtls.record;

/** Record content types of DTLS 1.2 and 1.3 (RFC 5246 6.2.1, RFC 6520, RFC 9146, RFC 9147 7, RFC 9853 4). */
public enum ContentType {
    CHANGE_CIPHER_SPEC(20),
    ALERT(21),
    HANDSHAKE(22),
    APPLICATION_DATA(23),
    /** RFC 6520; recognised only so that it can be counted and dropped. */
    HEARTBEAT(24),
    /** RFC 9146 section 4: a record carrying a connection ID. */
    TLS12_CID(25),
    /** RFC 9147 7: DTLS 1.3 acknowledgements, a content type so that they stay out of the transcript. */
    ACK(26),
    /**
     * RFC 9853 4: the return routability check (path_challenge, path_response, path_drop),
     * only under the active security context and only once both hellos carried rrc.
     */
    RETURN_ROUTABILITY_CHECK(27);

    /** Wire value to type, one array read: the lookup runs for every record, and values() copies. */
    private static final ContentType[] BY_CODE = new ContentType[256];

    static {
        for (ContentType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    public final int code;

    ContentType(int code) {
        this.code = code;
    }

    /** The content type for a wire value, or {@code null} when unknown (the record is dropped). */
    public static ContentType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}

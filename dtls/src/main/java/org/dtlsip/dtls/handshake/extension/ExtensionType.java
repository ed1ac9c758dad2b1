package org.dtlsip.dtls.handshake.extension;

/**
 * TLS ExtensionType code points (IANA "TLS ExtensionType Values") that this implementation
 * sends, parses or deliberately recognises. Kept as ints rather than an enum because peers
 * send many types we do not know, and those must be carried through and ignored
 * (RFC 5246 7.4.1.4), not rejected.
 */
public final class ExtensionType {
    /** RFC 6066 3. */
    public static final int SERVER_NAME = 0;
    /** RFC 6066 4. */
    public static final int MAX_FRAGMENT_LENGTH = 1;
    /** RFC 6066 8 (OCSP stapling). */
    public static final int STATUS_REQUEST = 5;
    /** RFC 8422 5.1.1 (formerly elliptic_curves). */
    public static final int SUPPORTED_GROUPS = 10;
    /** RFC 8422 5.1.2. */
    public static final int EC_POINT_FORMATS = 11;
    /** RFC 5246 7.4.1.4.1. */
    public static final int SIGNATURE_ALGORITHMS = 13;
    /** RFC 5764 4.1.1 (DTLS-SRTP). */
    public static final int USE_SRTP = 14;
    /** RFC 6520 2. */
    public static final int HEARTBEAT = 15;
    /** RFC 7301 3.1 (application_layer_protocol_negotiation). */
    public static final int ALPN = 16;
    /** RFC 7366 2. */
    public static final int ENCRYPT_THEN_MAC = 22;
    /** RFC 7627 5.1. */
    public static final int EXTENDED_MASTER_SECRET = 23;
    /** RFC 8449 4. */
    public static final int RECORD_SIZE_LIMIT = 28;
    /** RFC 5077 3.2. */
    public static final int SESSION_TICKET = 35;
    /** RFC 8446 4.2.11. */
    public static final int PRE_SHARED_KEY = 41;
    /** RFC 8446 4.2.10. */
    public static final int EARLY_DATA = 42;
    /** RFC 8446 4.2.1. */
    public static final int SUPPORTED_VERSIONS = 43;
    /** RFC 8446 4.2.2. */
    public static final int COOKIE = 44;
    /** RFC 8446 4.2.9. */
    public static final int PSK_KEY_EXCHANGE_MODES = 45;
    /** RFC 8446 4.2.4. */
    public static final int CERTIFICATE_AUTHORITIES = 47;
    /** RFC 8446 4.2.5. */
    public static final int OID_FILTERS = 48;
    /** RFC 8446 4.2.6. */
    public static final int POST_HANDSHAKE_AUTH = 49;
    /** RFC 8446 4.2.3. */
    public static final int SIGNATURE_ALGORITHMS_CERT = 50;
    /** RFC 8446 4.2.8. */
    public static final int KEY_SHARE = 51;
    /** RFC 9146 3 (and RFC 9147 9 for DTLS 1.3). */
    public static final int CONNECTION_ID = 54;
    /** RFC 9853 3 (return routability check), DTLS only, empty extension_data. */
    public static final int RRC = 61;
    /** RFC 5746 3.2. */
    public static final int RENEGOTIATION_INFO = 0xff01;

    private ExtensionType() {
    }

    /** The IANA name for a known type, or {@code unknown(N)}; for logs and error messages. */
    public static String name(int type) {
        return switch (type) {
            case SERVER_NAME -> "server_name";
            case MAX_FRAGMENT_LENGTH -> "max_fragment_length";
            case STATUS_REQUEST -> "status_request";
            case SUPPORTED_GROUPS -> "supported_groups";
            case EC_POINT_FORMATS -> "ec_point_formats";
            case SIGNATURE_ALGORITHMS -> "signature_algorithms";
            case USE_SRTP -> "use_srtp";
            case HEARTBEAT -> "heartbeat";
            case ALPN -> "application_layer_protocol_negotiation";
            case ENCRYPT_THEN_MAC -> "encrypt_then_mac";
            case EXTENDED_MASTER_SECRET -> "extended_master_secret";
            case RECORD_SIZE_LIMIT -> "record_size_limit";
            case SESSION_TICKET -> "session_ticket";
            case PRE_SHARED_KEY -> "pre_shared_key";
            case EARLY_DATA -> "early_data";
            case SUPPORTED_VERSIONS -> "supported_versions";
            case COOKIE -> "cookie";
            case PSK_KEY_EXCHANGE_MODES -> "psk_key_exchange_modes";
            case CERTIFICATE_AUTHORITIES -> "certificate_authorities";
            case OID_FILTERS -> "oid_filters";
            case POST_HANDSHAKE_AUTH -> "post_handshake_auth";
            case SIGNATURE_ALGORITHMS_CERT -> "signature_algorithms_cert";
            case KEY_SHARE -> "key_share";
            case CONNECTION_ID -> "connection_id";
            case RRC -> "rrc";
            case RENEGOTIATION_INFO -> "renegotiation_info";
            default -> "unknown(" + type + ")";
        };
    }
}

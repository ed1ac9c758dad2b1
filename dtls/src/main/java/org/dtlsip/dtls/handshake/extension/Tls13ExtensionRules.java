package org.dtlsip.dtls.handshake.extension;

import java.util.Set;

/**
 * Which extensions the server's DTLS 1.3 hello messages may carry (RFC 8446 4.2, the table's
 * SH, HRR and EE columns, with RFC 9147 9 and RFC 8449 for connection_id and
 * record_size_limit, RFC 9853 3 and 10 for rrc in the ServerHello). An extension we recognize
 * in a message it is not specified for is an illegal_parameter (RFC 8446 4.2; for
 * EncryptedExtensions also 4.3.1), even when our ClientHello offered it: the ClientHello
 * serves DTLS 1.2 too, so it offers extensions such as extended_master_secret or
 * renegotiation_info that have no place in a DTLS 1.3 answer.
 */
public final class Tls13ExtensionRules {
    /** RFC 8446 4.2: ServerHello. */
    private static final Set<Integer> SERVER_HELLO = Set.of(ExtensionType.SUPPORTED_VERSIONS, ExtensionType.KEY_SHARE,
            ExtensionType.PRE_SHARED_KEY, ExtensionType.CONNECTION_ID,
            ExtensionType.RRC);
    /** RFC 8446 4.2: HelloRetryRequest. */
    private static final Set<Integer> HELLO_RETRY_REQUEST = Set.of(ExtensionType.SUPPORTED_VERSIONS, ExtensionType.KEY_SHARE,
            ExtensionType.COOKIE);
    /** RFC 8446 4.2: EncryptedExtensions. */
    private static final Set<Integer> ENCRYPTED_EXTENSIONS = Set.of(ExtensionType.SERVER_NAME,
            ExtensionType.MAX_FRAGMENT_LENGTH, ExtensionType.SUPPORTED_GROUPS, ExtensionType.USE_SRTP, ExtensionType.HEARTBEAT,
            ExtensionType.ALPN, ExtensionType.RECORD_SIZE_LIMIT, ExtensionType.EARLY_DATA, ExtensionType.CONNECTION_ID);

    private Tls13ExtensionRules() {
    }

    /** True when {@code type} may appear in a DTLS 1.3 ServerHello. */
    public static boolean inServerHello(int type) {
        return SERVER_HELLO.contains(type);
    }

    /** True when {@code type} may appear in a HelloRetryRequest. */
    public static boolean inHelloRetryRequest(int type) {
        return HELLO_RETRY_REQUEST.contains(type);
    }

    /** True when {@code type} may appear in EncryptedExtensions. */
    public static boolean inEncryptedExtensions(int type) {
        return ENCRYPTED_EXTENSIONS.contains(type);
    }
}

package org.dtlsip.dtls.handshake.message;

import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.util.Hex;

/**
 * HelloRetryRequest (RFC 8446 4.1.3, 4.1.4): a ServerHello whose random is the SHA-256 of
 * "HelloRetryRequest", carrying the selected version, and a key_share with the group to use
 * and/or a cookie. A DTLS 1.3 server sends one for its stateless cookie (RFC 9147 5.1) and when
 * the client offered no share in a group the server accepts.
 */
public final class HelloRetryRequest {
    /** RFC 8446 4.1.3: SHA-256("HelloRetryRequest"). */
    private static final byte[] RANDOM = Hex.decode(
            "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    private HelloRetryRequest() {
    }

    /** The special random (a copy). */
    public static byte[] random() {
        return RANDOM.clone();
    }

    /** True when this ServerHello is a HelloRetryRequest. */
    public static boolean isHelloRetryRequest(ServerHello hello) {
        return Arrays.equals(hello.random(), RANDOM);
    }

    /**
     * A HelloRetryRequest. legacy_version is DTLS 1.2 (RFC 9147 5.4); legacy_session_id_echo is
     * empty because a DTLS 1.3 client's is (RFC 9147 5: no compatibility mode).
     *
     * @param extensions supported_versions (selected), and key_share (selected group) and/or cookie
     */
    public static ServerHello create(int cipherSuite, byte[] sessionIdEcho, List<Extension> extensions) {
        return new ServerHello(ProtocolVersion.DTLS_1_2, RANDOM, sessionIdEcho, cipherSuite, 0, extensions);
    }
}

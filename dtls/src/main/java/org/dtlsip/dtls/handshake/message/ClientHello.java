package org.dtlsip.dtls.handshake.message;

import java.util.List;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * ClientHello (RFC 5246 7.4.1.2 with the DTLS cookie of RFC 6347 4.2.1):
 *
 * <pre>
 * struct {
 *   ProtocolVersion client_version;
 *   Random random;                                     // 32 bytes
 *   SessionID session_id;                              // opaque &lt;0..32&gt;
 *   opaque cookie&lt;0..2^8-1&gt;;                          // DTLS only
 *   CipherSuite cipher_suites&lt;2..2^16-2&gt;;
 *   CompressionMethod compression_methods&lt;1..2^8-1&gt;;
 *   select (extensions_present) { case true: Extension extensions&lt;0..2^16-1&gt;; };
 * } ClientHello;
 * </pre>
 *
 * <p>compression_methods must include null (0): RFC 5246 7.4.1.2 requires every client to
 * offer it, so a list without it cannot come from a conforming peer.
 */
public record ClientHello(int clientVersion, byte[] random, byte[] sessionId, byte[] cookie,
        List<Integer> cipherSuites, List<Integer> compressionMethods, List<Extension> extensions)
        implements HandshakeBody {

    /** Random is gmt_unix_time(4) + random_bytes(28) (RFC 5246 7.4.1.2). */
    public static final int RANDOM_LENGTH = 32;
    /** SessionID is {@code opaque SessionID<0..32>} (RFC 5246 7.4.1.2). */
    public static final int MAX_SESSION_ID_LENGTH = 32;
    /** DTLS 1.2 widened the cookie from 32 to 2^8-1 bytes (RFC 6347 4.2.1, 4.3.2). */
    public static final int MAX_COOKIE_LENGTH = 0xff;
    /** CompressionMethod null, the only one this implementation uses. */
    public static final int NULL_COMPRESSION = 0;
    /** cipher_suites is a uint16 vector of at most 2^16-2 bytes. */
    public static final int MAX_CIPHER_SUITES = (0xffff - 1) / 2;

    /** @throws IllegalArgumentException if a field violates the wire constraints above */
    public ClientHello {
        Wire.checkRange(clientVersion, 0, Wire.MAX_UINT16, "client_version");
        random = Wire.checkOpaque(random, RANDOM_LENGTH, RANDOM_LENGTH, "random");
        sessionId = Wire.checkOpaque(sessionId, 0, MAX_SESSION_ID_LENGTH, "session_id");
        cookie = Wire.checkOpaque(cookie, 0, MAX_COOKIE_LENGTH, "cookie");
        cipherSuites = Wire.checkCodes(cipherSuites, Wire.MAX_UINT16, MAX_CIPHER_SUITES, "cipher_suites");
        compressionMethods = Wire.checkCodes(compressionMethods, Wire.MAX_UINT8, Wire.MAX_UINT8,
                "compression_methods");
        if (!compressionMethods.contains(NULL_COMPRESSION)) {
            throw new IllegalArgumentException("compression_methods must include null");
        }
        extensions = Extensions.copyOf(extensions);
    }

    /**
     * Parses a ClientHello body.
     *
     * @throws DecodeException if truncated, a vector overruns or violates its bounds, null
     *     compression is missing, extensions repeat, or bytes trail the extensions
     */
    public static ClientHello decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        int version = r.u16();
        byte[] random = r.bytes(RANDOM_LENGTH);
        byte[] sessionId = Wire.readOpaque8(r, 0, MAX_SESSION_ID_LENGTH, "session_id");
        byte[] cookie = r.vector8();
        List<Integer> suites = Wire.readU16List(r, "cipher_suites");
        List<Integer> compression = Wire.readU8List(r, "compression_methods");
        if (!compression.contains(NULL_COMPRESSION)) {
            throw new DecodeException("compression_methods does not include null");
        }
        List<Extension> extensions = Extensions.decode(r);
        r.expectEnd("ClientHello");
        return new ClientHello(version, random, sessionId, cookie, suites, compression, extensions);
    }

    @Override
    public byte[] encode() {
        ByteWriter w = new ByteWriter();
        w.u16(clientVersion).bytes(random).vector8(sessionId).vector8(cookie);
        Wire.writeU16List(w, cipherSuites);
        Wire.writeU8List(w, compressionMethods);
        Extensions.encode(w, extensions);
        return w.toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CLIENT_HELLO;
    }

    /**
     * The same hello carrying {@code cookie}: the second ClientHello after a
     * HelloVerifyRequest, which RFC 6347 4.2.1 requires to repeat every other field.
     */
    public ClientHello withCookie(byte[] cookie) {
        return new ClientHello(clientVersion, random, sessionId, cookie, cipherSuites,
                compressionMethods, extensions);
    }

    /** The extension of {@code type}, or {@code null}. */
    public Extension extension(int type) {
        return Extensions.find(extensions, type);
    }

    @Override
    public byte[] random() {
        return random.clone();
    }

    @Override
    public byte[] sessionId() {
        return sessionId.clone();
    }

    @Override
    public byte[] cookie() {
        return cookie.clone();
    }

    private Object[] parts() {
        return Wire.parts(clientVersion, random, sessionId, cookie, cipherSuites, compressionMethods,
                extensions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientHello m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return Wire.describe("ClientHello", "version", String.format("%04x", clientVersion),
                "random", random, "session_id", sessionId, "cookie", cookie,
                "cipher_suites", cipherSuites, "compression", compressionMethods,
                "extensions", extensions);
    }
}

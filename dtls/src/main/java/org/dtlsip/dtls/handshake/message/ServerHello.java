package org.dtlsip.dtls.handshake.message;

import java.util.List;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * ServerHello (RFC 5246 7.4.1.3; unchanged in DTLS, RFC 6347 4.2):
 *
 * <pre>
 * struct {
 *   ProtocolVersion server_version;
 *   Random random;
 *   SessionID session_id;
 *   CipherSuite cipher_suite;
 *   CompressionMethod compression_method;
 *   select (extensions_present) { case true: Extension extensions&lt;0..2^16-1&gt;; };
 * } ServerHello;
 * </pre>
 *
 * Whether the chosen suite and compression were offered is the engine's check, not the codec's.
 */
public record ServerHello(int serverVersion, byte[] random, byte[] sessionId, int cipherSuite,
        int compressionMethod, List<Extension> extensions) implements HandshakeBody {

    /** @throws IllegalArgumentException if a field violates its wire bounds */
    public ServerHello {
        Wire.checkRange(serverVersion, 0, Wire.MAX_UINT16, "server_version");
        random = Wire.checkOpaque(random, ClientHello.RANDOM_LENGTH, ClientHello.RANDOM_LENGTH, "random");
        sessionId = Wire.checkOpaque(sessionId, 0, ClientHello.MAX_SESSION_ID_LENGTH, "session_id");
        Wire.checkRange(cipherSuite, 0, Wire.MAX_UINT16, "cipher_suite");
        Wire.checkRange(compressionMethod, 0, Wire.MAX_UINT8, "compression_method");
        extensions = Extensions.copyOf(extensions);
    }

    /** @throws org.dtlsip.dtls.util.DecodeException if malformed (see {@link ClientHello#decode}) */
    public static ServerHello decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        int version = r.u16();
        byte[] random = r.bytes(ClientHello.RANDOM_LENGTH);
        byte[] sessionId = Wire.readOpaque8(r, 0, ClientHello.MAX_SESSION_ID_LENGTH, "session_id");
        int suite = r.u16();
        int compression = r.u8();
        List<Extension> extensions = Extensions.decode(r);
        r.expectEnd("ServerHello");
        return new ServerHello(version, random, sessionId, suite, compression, extensions);
    }

    @Override
    public byte[] encode() {
        ByteWriter w = new ByteWriter();
        w.u16(serverVersion).bytes(random).vector8(sessionId).u16(cipherSuite).u8(compressionMethod);
        Extensions.encode(w, extensions);
        return w.toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.SERVER_HELLO;
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

    private Object[] parts() {
        return Wire.parts(serverVersion, random, sessionId, cipherSuite, compressionMethod, extensions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerHello m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return Wire.describe("ServerHello", "version", String.format("%04x", serverVersion),
                "random", random, "session_id", sessionId,
                "cipher_suite", String.format("%04x", cipherSuite),
                "compression", compressionMethod, "extensions", extensions);
    }
}

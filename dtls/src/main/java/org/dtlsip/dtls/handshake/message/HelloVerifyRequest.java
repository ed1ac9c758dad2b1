package org.dtlsip.dtls.handshake.message;

import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * HelloVerifyRequest (RFC 6347 4.2.1): the server's stateless cookie challenge,
 * {@code struct { ProtocolVersion server_version; opaque cookie<0..2^8-1>; }}. It lets a server
 * confirm the client's address before allocating state, countering spoofed-source DoS.
 */
public record HelloVerifyRequest(int serverVersion, byte[] cookie) implements HandshakeBody {

    /** RFC 6347 4.2.1: {@code opaque cookie<0..2^8-1>}. */
    public static final int MAX_COOKIE_LENGTH = ClientHello.MAX_COOKIE_LENGTH;

    /** @throws IllegalArgumentException if the version is not a uint16 or the cookie too long */
    public HelloVerifyRequest {
        Wire.checkRange(serverVersion, 0, Wire.MAX_UINT16, "server_version");
        cookie = Wire.checkOpaque(cookie, 0, MAX_COOKIE_LENGTH, "cookie");
    }

    /** @throws org.dtlsip.dtls.util.DecodeException if truncated or followed by extra bytes */
    public static HelloVerifyRequest decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        int version = r.u16();
        byte[] cookie = r.vector8();
        r.expectEnd("HelloVerifyRequest");
        return new HelloVerifyRequest(version, cookie);
    }

    @Override
    public byte[] encode() {
        return new ByteWriter(3 + cookie.length).u16(serverVersion).vector8(cookie).toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.HELLO_VERIFY_REQUEST;
    }

    @Override
    public byte[] cookie() {
        return cookie.clone();
    }

    private Object[] parts() {
        return Wire.parts(serverVersion, cookie);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HelloVerifyRequest m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return Wire.describe("HelloVerifyRequest", "version", String.format("%04x", serverVersion),
                "cookie", cookie);
    }
}

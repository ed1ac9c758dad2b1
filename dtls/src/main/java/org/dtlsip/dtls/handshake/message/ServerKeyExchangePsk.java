package org.dtlsip.dtls.handshake.message;

import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * ServerKeyExchange for plain PSK suites (RFC 4279 2): only the identity hint,
 * {@code opaque psk_identity_hint<0..2^16-1>}. A server without a hint may omit the message.
 */
public record ServerKeyExchangePsk(byte[] identityHint) implements HandshakeBody {

    public ServerKeyExchangePsk {
        identityHint = Wire.checkOpaque(identityHint, 0, Wire.MAX_UINT16, "psk_identity_hint");
    }

    public static ServerKeyExchangePsk decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        byte[] hint = r.vector16();
        r.expectEnd("ServerKeyExchange (PSK)");
        return new ServerKeyExchangePsk(hint);
    }

    @Override
    public byte[] encode() {
        return new ByteWriter(2 + identityHint.length).vector16(identityHint).toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.SERVER_KEY_EXCHANGE;
    }

    @Override
    public byte[] identityHint() {
        return identityHint.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerKeyExchangePsk m && java.util.Arrays.equals(identityHint, m.identityHint);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(identityHint);
    }

    @Override
    public String toString() {
        return Wire.describe("ServerKeyExchangePsk", "hint", identityHint);
    }
}

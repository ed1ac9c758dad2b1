package org.dtlsip.dtls.handshake.message;

import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * ClientKeyExchange for PSK (RFC 4279 2) and ECDHE_PSK (RFC 5489 2) suites: the identity,
 * {@code opaque psk_identity<0..2^16-1>}, followed for ECDHE_PSK by the client's ECDHE public
 * value ({@code opaque point<1..2^8-1>}); {@code publicPoint} is empty for plain PSK.
 */
public record ClientKeyExchangePsk(byte[] identity, byte[] publicPoint) implements HandshakeBody {

    public ClientKeyExchangePsk {
        identity = Wire.checkOpaque(identity, 0, Wire.MAX_UINT16, "psk_identity");
        publicPoint = Wire.checkOpaque(publicPoint, 0, Wire.MAX_UINT8, "point");
    }

    /** Decodes the PSK form ({@code ecdhe} false) or the ECDHE_PSK form. */
    public static ClientKeyExchangePsk decode(byte[] body, boolean ecdhe) {
        ByteReader r = new ByteReader(body);
        byte[] identity = r.vector16();
        byte[] point = ecdhe ? Wire.readOpaque8(r, 1, Wire.MAX_UINT8, "ClientKeyExchange point") : new byte[0];
        r.expectEnd("ClientKeyExchange (PSK)");
        return new ClientKeyExchangePsk(identity, point);
    }

    @Override
    public byte[] encode() {
        ByteWriter w = new ByteWriter(3 + identity.length + publicPoint.length).vector16(identity);
        if (publicPoint.length > 0) {
            w.vector8(publicPoint);
        }
        return w.toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CLIENT_KEY_EXCHANGE;
    }

    @Override
    public byte[] identity() {
        return identity.clone();
    }

    @Override
    public byte[] publicPoint() {
        return publicPoint.clone();
    }

    private Object[] parts() {
        return Wire.parts(identity, publicPoint);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientKeyExchangePsk m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return Wire.describe("ClientKeyExchangePsk", "identity", identity, "point", publicPoint);
    }
}

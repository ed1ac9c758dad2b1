package org.dtlsip.dtls.handshake.message;

import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * ClientKeyExchange for ECDHE suites (RFC 8422 5.7): ClientECDiffieHellmanPublic, the
 * client's ephemeral public value as {@code opaque point<1..2^8-1>}. Validating the point
 * against the group is the key exchange's job.
 */
public record ClientKeyExchangeEcdhe(byte[] publicPoint) implements HandshakeBody {

    /** {@code opaque point<1..2^8-1>}. */
    public static final int MAX_POINT_LENGTH = Wire.MAX_UINT8;

    /** @throws IllegalArgumentException if the point is empty or longer than 255 bytes */
    public ClientKeyExchangeEcdhe {
        publicPoint = Wire.checkOpaque(publicPoint, 1, MAX_POINT_LENGTH, "point");
    }

    /** @throws org.dtlsip.dtls.util.DecodeException if truncated, empty, or bytes trail */
    public static ClientKeyExchangeEcdhe decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        byte[] point = Wire.readOpaque8(r, 1, MAX_POINT_LENGTH, "ClientKeyExchange point");
        r.expectEnd("ClientKeyExchange");
        return new ClientKeyExchangeEcdhe(point);
    }

    @Override
    public byte[] encode() {
        return new ByteWriter(1 + publicPoint.length).vector8(publicPoint).toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CLIENT_KEY_EXCHANGE;
    }

    @Override
    public byte[] publicPoint() {
        return publicPoint.clone();
    }

    private Object[] parts() {
        return Wire.parts(publicPoint);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientKeyExchangeEcdhe m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return Wire.describe("ClientKeyExchangeEcdhe", "point", publicPoint);
    }
}

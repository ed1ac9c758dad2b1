package org.dtlsip.dtls.handshake.message;

import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * ServerKeyExchange for ECDHE_PSK suites (RFC 5489 2): the identity hint followed by
 * ServerECDHParams, unsigned, because the PSK itself authenticates the exchange through the
 * Finished messages.
 */
public record ServerKeyExchangeEcdhePsk(byte[] identityHint, int namedGroup, byte[] publicPoint)
        implements HandshakeBody {

    public ServerKeyExchangeEcdhePsk {
        identityHint = Wire.checkOpaque(identityHint, 0, Wire.MAX_UINT16, "psk_identity_hint");
        Wire.checkRange(namedGroup, 0, Wire.MAX_UINT16, "named_curve");
        publicPoint = Wire.checkOpaque(publicPoint, 1, Wire.MAX_UINT8, "point");
    }

    public static ServerKeyExchangeEcdhePsk decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        byte[] hint = r.vector16();
        int curveType = r.u8();
        if (curveType != ServerKeyExchangeEcdhe.CURVE_TYPE_NAMED_CURVE) {
            throw new DecodeException("ServerKeyExchange: curve_type " + curveType + " is not named_curve");
        }
        int group = r.u16();
        byte[] point = Wire.readOpaque8(r, 1, Wire.MAX_UINT8, "ServerKeyExchange point");
        r.expectEnd("ServerKeyExchange (ECDHE_PSK)");
        return new ServerKeyExchangeEcdhePsk(hint, group, point);
    }

    @Override
    public byte[] encode() {
        return new ByteWriter(6 + identityHint.length + publicPoint.length).vector16(identityHint)
                .u8(ServerKeyExchangeEcdhe.CURVE_TYPE_NAMED_CURVE).u16(namedGroup).vector8(publicPoint)
                .toByteArray();
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
    public byte[] publicPoint() {
        return publicPoint.clone();
    }

    private Object[] parts() {
        return Wire.parts(identityHint, namedGroup, publicPoint);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerKeyExchangeEcdhePsk m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return Wire.describe("ServerKeyExchangeEcdhePsk", "hint", identityHint, "group", namedGroup, "point", publicPoint);
    }
}

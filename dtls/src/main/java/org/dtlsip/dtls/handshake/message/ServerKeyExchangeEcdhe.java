package org.dtlsip.dtls.handshake.message;

import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * ServerKeyExchange for ECDHE_ECDSA and ECDHE_RSA (RFC 8422 5.4, signature per RFC 5246
 * 7.4.3 as a DigitallySigned with an explicit SignatureAndHashAlgorithm):
 *
 * <pre>
 * struct {
 *   ServerECDHParams params;      // curve_type(1) = named_curve(3), NamedCurve(2), opaque point&lt;1..2^8-1&gt;
 *   digitally-signed struct { opaque client_random[32]; opaque server_random[32];
 *                             ServerECDHParams params; } signed_params;
 * } ServerKeyExchange;
 * </pre>
 *
 * <p>Only named_curve is accepted: RFC 8422 5.4 deprecates explicit curves and this
 * implementation never offers them, so anything else is malformed.
 */
public record ServerKeyExchangeEcdhe(int namedGroup, byte[] publicPoint, int signatureScheme,
        byte[] signature) implements HandshakeBody {

    /** ECCurveType named_curve (RFC 8422 5.4). */
    public static final int CURVE_TYPE_NAMED_CURVE = 3;
    /** {@code opaque point<1..2^8-1>} (RFC 8422 5.4 ECPoint). */
    public static final int MAX_POINT_LENGTH = Wire.MAX_UINT8;
    /** {@code opaque signature<0..2^16-1>} (RFC 5246 4.7 digitally-signed). */
    public static final int MAX_SIGNATURE_LENGTH = Wire.MAX_UINT16;

    /** @throws IllegalArgumentException if a field violates its wire bounds */
    public ServerKeyExchangeEcdhe {
        Wire.checkRange(namedGroup, 0, Wire.MAX_UINT16, "named_curve");
        publicPoint = Wire.checkOpaque(publicPoint, 1, MAX_POINT_LENGTH, "point");
        Wire.checkRange(signatureScheme, 0, Wire.MAX_UINT16, "signature algorithm");
        signature = Wire.checkOpaque(signature, 0, MAX_SIGNATURE_LENGTH, "signature");
    }

    /** @throws DecodeException if truncated, not named_curve, the point is empty, or bytes trail */
    public static ServerKeyExchangeEcdhe decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        int curveType = r.u8();
        if (curveType != CURVE_TYPE_NAMED_CURVE) {
            throw new DecodeException("ServerKeyExchange: curve_type " + curveType + " is not named_curve");
        }
        int group = r.u16();
        byte[] point = Wire.readOpaque8(r, 1, MAX_POINT_LENGTH, "ServerKeyExchange point");
        int scheme = r.u16();
        byte[] signature = r.vector16();
        r.expectEnd("ServerKeyExchange");
        return new ServerKeyExchangeEcdhe(group, point, scheme, signature);
    }

    @Override
    public byte[] encode() {
        return new ByteWriter(8 + publicPoint.length + signature.length).bytes(paramsBytes())
                .u16(signatureScheme).vector16(signature).toByteArray();
    }

    /** The encoded ServerECDHParams: curve_type || named_curve || opaque8 point. */
    public byte[] paramsBytes() {
        return new ByteWriter(4 + publicPoint.length).u8(CURVE_TYPE_NAMED_CURVE).u16(namedGroup)
                .vector8(publicPoint).toByteArray();
    }

    /**
     * The bytes the server signs and the client verifies: client_random || server_random ||
     * ServerECDHParams (RFC 8422 5.4). Binding both randoms stops replay of old parameters.
     *
     * @throws IllegalArgumentException if a random is not 32 bytes
     */
    public static byte[] signedData(byte[] clientRandom, byte[] serverRandom, byte[] params) {
        if (clientRandom.length != ClientHello.RANDOM_LENGTH || serverRandom.length != ClientHello.RANDOM_LENGTH) {
            throw new IllegalArgumentException("randoms must be " + ClientHello.RANDOM_LENGTH + " bytes");
        }
        return new ByteWriter(2 * ClientHello.RANDOM_LENGTH + params.length).bytes(clientRandom)
                .bytes(serverRandom).bytes(params).toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.SERVER_KEY_EXCHANGE;
    }

    @Override
    public byte[] publicPoint() {
        return publicPoint.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    private Object[] parts() {
        return Wire.parts(namedGroup, publicPoint, signatureScheme, signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerKeyExchangeEcdhe m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return Wire.describe("ServerKeyExchangeEcdhe", "group", namedGroup, "point", publicPoint,
                "scheme", String.format("%04x", signatureScheme), "signature", signature);
    }
}

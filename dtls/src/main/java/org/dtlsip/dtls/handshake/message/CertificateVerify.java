package org.dtlsip.dtls.handshake.message;

import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * CertificateVerify (RFC 5246 7.4.8): a digitally-signed hash of the handshake transcript up to
 * this message, proving the client holds its certificate's private key:
 * {@code SignatureAndHashAlgorithm algorithm; opaque signature<0..2^16-1>;}.
 */
public record CertificateVerify(int signatureScheme, byte[] signature) implements HandshakeBody {

    /** {@code opaque signature<0..2^16-1>}. */
    public static final int MAX_SIGNATURE_LENGTH = Wire.MAX_UINT16;

    /** @throws IllegalArgumentException if the scheme is not a uint16 or the signature too long */
    public CertificateVerify {
        Wire.checkRange(signatureScheme, 0, Wire.MAX_UINT16, "signature algorithm");
        signature = Wire.checkOpaque(signature, 0, MAX_SIGNATURE_LENGTH, "signature");
    }

    /** @throws org.dtlsip.dtls.util.DecodeException if truncated or bytes trail */
    public static CertificateVerify decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        int scheme = r.u16();
        byte[] signature = r.vector16();
        r.expectEnd("CertificateVerify");
        return new CertificateVerify(scheme, signature);
    }

    @Override
    public byte[] encode() {
        return new ByteWriter(4 + signature.length).u16(signatureScheme).vector16(signature).toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CERTIFICATE_VERIFY;
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    private Object[] parts() {
        return Wire.parts(signatureScheme, signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateVerify m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return Wire.describe("CertificateVerify", "scheme", String.format("%04x", signatureScheme),
                "signature", signature);
    }
}

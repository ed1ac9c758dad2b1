package org.dtlsip.dtls.handshake.message;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * CertificateRequest (RFC 5246 7.4.4):
 *
 * <pre>
 * struct {
 *   ClientCertificateType certificate_types&lt;1..2^8-1&gt;;
 *   SignatureAndHashAlgorithm supported_signature_algorithms&lt;2..2^16-2&gt;;
 *   DistinguishedName certificate_authorities&lt;0..2^16-1&gt;;   // opaque DistinguishedName&lt;1..2^16-1&gt;
 * } CertificateRequest;
 * </pre>
 *
 * Distinguished names are kept as DER bytes.
 */
public record CertificateRequest(List<Integer> certificateTypes, List<Integer> signatureSchemes,
        List<byte[]> certificateAuthorities) implements HandshakeBody {

    /** ClientCertificateType rsa_sign (RFC 5246 7.4.4). */
    public static final int RSA_SIGN = 1;
    /** ClientCertificateType ecdsa_sign (RFC 8422 5.5). */
    public static final int ECDSA_SIGN = 64;
    /** supported_signature_algorithms is a uint16 vector of at most 2^16-2 bytes. */
    public static final int MAX_SIGNATURE_SCHEMES = (Wire.MAX_UINT16 - 1) / 2;
    /** Each DistinguishedName is {@code opaque <1..2^16-1>}. */
    public static final int MAX_DISTINGUISHED_NAME_LENGTH = Wire.MAX_UINT16;

    /** @throws IllegalArgumentException if a list violates its wire bounds */
    public CertificateRequest {
        certificateTypes = Wire.checkCodes(certificateTypes, Wire.MAX_UINT8, Wire.MAX_UINT8,
                "certificate_types");
        signatureSchemes = Wire.checkCodes(signatureSchemes, Wire.MAX_UINT16, MAX_SIGNATURE_SCHEMES,
                "supported_signature_algorithms");
        certificateAuthorities = Wire.copyAll(certificateAuthorities, 1, MAX_DISTINGUISHED_NAME_LENGTH,
                "DistinguishedName");
    }

    /** @throws DecodeException if truncated, a list is empty where forbidden, or bytes trail */
    public static CertificateRequest decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        List<Integer> types = Wire.readU8List(r, "certificate_types");
        List<Integer> schemes = Wire.readU16List(r, "supported_signature_algorithms");
        ByteReader cas = r.slice(r.u16());
        r.expectEnd("CertificateRequest");
        List<byte[]> names = new ArrayList<>();
        while (cas.hasRemaining()) {
            byte[] dn = cas.vector16();
            if (dn.length == 0) {
                throw new DecodeException("CertificateRequest: empty DistinguishedName");
            }
            names.add(dn);
        }
        return new CertificateRequest(types, schemes, names);
    }

    @Override
    public byte[] encode() {
        ByteWriter w = new ByteWriter();
        Wire.writeU8List(w, certificateTypes);
        Wire.writeU16List(w, signatureSchemes);
        int token = w.startVector(2);
        for (byte[] dn : certificateAuthorities) {
            w.vector16(dn);
        }
        w.endVector(token);
        return w.toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CERTIFICATE_REQUEST;
    }

    /** Deep copies of the DER distinguished names. */
    @Override
    public List<byte[]> certificateAuthorities() {
        return Wire.copyAll(certificateAuthorities);
    }

    private Object[] parts() {
        return Wire.parts(certificateTypes, signatureSchemes, certificateAuthorities);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateRequest m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return Wire.describe("CertificateRequest", "types", certificateTypes,
                "schemes", signatureSchemes, "authorities", certificateAuthorities.size());
    }
}

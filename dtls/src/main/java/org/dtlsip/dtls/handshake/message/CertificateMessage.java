package org.dtlsip.dtls.handshake.message;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * Certificate (RFC 5246 7.4.2, 7.4.6):
 * {@code opaque ASN.1Cert<1..2^24-1>; struct { ASN.1Cert certificate_list<0..2^24-1>; }}.
 * The sender's certificate comes first, each following one certifying the one before. The
 * list may be empty: a client asked for a certificate that has none sends it empty
 * (RFC 5246 7.4.6). Certificates are kept as DER bytes; parsing them is the crypto layer's job.
 */
public record CertificateMessage(List<byte[]> certificates) implements HandshakeBody {

    /** Each ASN.1Cert is a uint24 vector of at least one byte. */
    public static final int MAX_CERTIFICATE_LENGTH = Wire.MAX_UINT24;

    /** @throws IllegalArgumentException if a certificate is empty or exceeds a uint24 */
    public CertificateMessage {
        certificates = Wire.copyAll(certificates, 1, MAX_CERTIFICATE_LENGTH, "certificate");
    }

    /** @throws DecodeException if truncated, a length overruns, or a certificate is empty */
    public static CertificateMessage decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        ByteReader list = r.slice(r.u24());
        r.expectEnd("Certificate");
        List<byte[]> certs = new ArrayList<>();
        while (list.hasRemaining()) {
            byte[] cert = list.vector24();
            if (cert.length == 0) {
                throw new DecodeException("Certificate: empty ASN.1Cert");
            }
            certs.add(cert);
        }
        return new CertificateMessage(certs);
    }

    @Override
    public byte[] encode() {
        ByteWriter w = new ByteWriter();
        int token = w.startVector(3);
        for (byte[] c : certificates) {
            w.vector24(c);
        }
        w.endVector(token);
        return w.toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CERTIFICATE;
    }

    /** Deep copies of the DER certificates, sender's first. */
    @Override
    public List<byte[]> certificates() {
        return Wire.copyAll(certificates);
    }

    public boolean isEmpty() {
        return certificates.isEmpty();
    }

    private Object[] parts() {
        return Wire.parts(certificates);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateMessage m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return "CertificateMessage[" + certificates.size() + " certificates]";
    }
}

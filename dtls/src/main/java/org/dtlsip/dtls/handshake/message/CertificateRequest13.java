package org.dtlsip.dtls.handshake.message;

import java.util.List;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * CertificateRequest in TLS 1.3 form (RFC 8446 4.3.2):
 * {@code opaque certificate_request_context<0..2^8-1>; Extension extensions<2..2^16-1>;}. In the
 * main handshake the context is empty; signature_algorithms must be among the extensions (the
 * handshake checks, with missing_extension). Post-handshake authentication is not supported
 * (docs/DTLS13.md), so a non-empty context never comes from us.
 */
public record CertificateRequest13(byte[] requestContext, List<Extension> extensions) implements HandshakeBody {

    public CertificateRequest13 {
        requestContext = Wire.checkOpaque(requestContext, 0, Wire.MAX_UINT8, "certificate_request_context");
        extensions = Extensions.copyOf(extensions);
    }

    /** @throws org.dtlsip.dtls.util.DecodeException if truncated, repeated or followed by bytes */
    public static CertificateRequest13 decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        byte[] context = r.vector8();
        List<Extension> extensions = Extensions13.read(r);
        r.expectEnd("CertificateRequest");
        return new CertificateRequest13(context, extensions);
    }

    @Override
    public byte[] encode() {
        ByteWriter w = new ByteWriter();
        w.vector8(requestContext);
        Extensions13.write(w, extensions);
        return w.toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CERTIFICATE_REQUEST;
    }

    @Override
    public byte[] requestContext() {
        return requestContext.clone();
    }

    /** The extension of {@code type}, or {@code null}. */
    public Extension extension(int type) {
        return Extensions.find(extensions, type);
    }

    private Object[] parts() {
        return Wire.parts(requestContext, extensions);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateRequest13 m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return Wire.describe("CertificateRequest13", "context", requestContext, "extensions", extensions);
    }
}

package org.dtlsip.dtls.handshake.message;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * Certificate in TLS 1.3 form (RFC 8446 4.4.2):
 *
 * <pre>
 * struct {
 *     opaque certificate_request_context&lt;0..2^8-1&gt;;
 *     CertificateEntry certificate_list&lt;0..2^24-1&gt;;
 * } Certificate;
 * </pre>
 *
 * The context is empty in the main handshake and echoes a CertificateRequest's otherwise. The
 * sender's certificate comes first. An empty list is a client without a certificate; a server
 * must send one (the handshake checks, with decode_error, RFC 8446 4.4.2.4).
 */
public record Certificate13(byte[] requestContext, List<CertificateEntry> entries) implements HandshakeBody {

    public Certificate13 {
        requestContext = Wire.checkOpaque(requestContext, 0, Wire.MAX_UINT8, "certificate_request_context");
        entries = List.copyOf(entries);
    }

    /** A main-handshake Certificate (empty context) of DER certificates without extensions. */
    public static Certificate13 of(List<byte[]> chain) {
        List<CertificateEntry> entries = new ArrayList<>();
        for (byte[] der : chain) {
            entries.add(CertificateEntry.of(der));
        }
        return new Certificate13(new byte[0], entries);
    }

    /** @throws DecodeException if truncated, a vector overruns, cert_data is empty or bytes trail */
    public static Certificate13 decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        byte[] context = r.vector8();
        ByteReader list = r.slice(r.u24());
        r.expectEnd("Certificate");
        List<CertificateEntry> entries = new ArrayList<>();
        while (list.hasRemaining()) {
            byte[] der = list.vector24();
            if (der.length == 0) {
                throw new DecodeException("Certificate: empty cert_data");
            }
            List<Extension> extensions = Extensions13.read(list);
            entries.add(new CertificateEntry(der, extensions));
        }
        return new Certificate13(context, entries);
    }

    @Override
    public byte[] encode() {
        ByteWriter w = new ByteWriter();
        w.vector8(requestContext);
        int token = w.startVector(3);
        for (CertificateEntry e : entries) {
            w.vector24(e.certData());
            Extensions13.write(w, e.extensions());
        }
        w.endVector(token);
        return w.toByteArray();
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.CERTIFICATE;
    }

    @Override
    public byte[] requestContext() {
        return requestContext.clone();
    }

    /** The DER certificates, sender's first. */
    public List<byte[]> certificates() {
        List<byte[]> out = new ArrayList<>(entries.size());
        for (CertificateEntry e : entries) {
            out.add(e.certData());
        }
        return out;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    private Object[] parts() {
        return Wire.parts(requestContext, entries);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Certificate13 m && Wire.deepEquals(parts(), m.parts());
    }

    @Override
    public int hashCode() {
        return Wire.deepHash(parts());
    }

    @Override
    public String toString() {
        return Wire.describe("Certificate13", "context", requestContext, "entries", entries.size());
    }
}

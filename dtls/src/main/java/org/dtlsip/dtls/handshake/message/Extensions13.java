package org.dtlsip.dtls.handshake.message;

import java.util.List;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * Extension lists inside TLS 1.3 messages other than the hellos (EncryptedExtensions,
 * CertificateEntry, CertificateRequest, NewSessionTicket): the uint16 length is always
 * present, unlike a hello's optional block (RFC 8446 4.3.1, 4.4.2, 4.3.2, 4.6.1).
 */
final class Extensions13 {
    private Extensions13() {
    }

    /** Reads {@code Extension extensions<0..2^16-1>}; duplicates are a DecodeException (RFC 8446 4.2). */
    static List<Extension> read(ByteReader r) {
        if (r.remaining() < 2) {
            throw new DecodeException("extensions: missing length");
        }
        return Extensions.decode(r);
    }

    static void write(ByteWriter w, List<Extension> extensions) {
        int token = w.startVector(2);
        for (Extension e : extensions) {
            w.u16(e.type()).vector16(e.data());
        }
        w.endVector(token);
    }
}

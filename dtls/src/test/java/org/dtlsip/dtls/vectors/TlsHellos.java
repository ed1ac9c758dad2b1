package org.dtlsip.dtls.vectors;

import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.Hex;

/**
 * Reads the extensions of RFC 8448's TLS 1.3 hellos. A TLS ClientHello has no cookie field, so
 * the DTLS codec does not parse it whole; the extensions have the same format in both.
 */
public final class TlsHellos {
    private TlsHellos() {
    }

    /** The body (after the 4-byte header) of a TLS-form handshake message in hex. */
    public static byte[] body(String messageHex) {
        byte[] m = Hex.decode(messageHex);
        return Arrays.copyOfRange(m, 4, m.length);
    }

    /** Extensions of a TLS 1.3 ClientHello message (hex, with its 4-byte header). */
    public static List<Extension> clientHelloExtensions(String messageHex) {
        ByteReader r = new ByteReader(body(messageHex));
        r.skip(2 + 32);
        r.skip(r.u8());  // legacy_session_id
        r.skip(r.u16()); // cipher_suites
        r.skip(r.u8());  // legacy_compression_methods
        List<Extension> extensions = Extensions.decode(r);
        r.expectEnd("ClientHello");
        return extensions;
    }

    /** Extensions of a TLS 1.3 ServerHello or HelloRetryRequest message. */
    public static List<Extension> serverHelloExtensions(String messageHex) {
        ByteReader r = new ByteReader(body(messageHex));
        r.skip(2 + 32);
        r.skip(r.u8());
        r.skip(2 + 1);
        List<Extension> extensions = Extensions.decode(r);
        r.expectEnd("ServerHello");
        return extensions;
    }
}

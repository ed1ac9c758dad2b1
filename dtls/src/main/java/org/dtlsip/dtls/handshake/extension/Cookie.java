package org.dtlsip.dtls.handshake.extension;

import java.util.Arrays;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * cookie (RFC 8446 4.2.2): {@code opaque cookie<1..2^16-1>}. A DTLS 1.3 server sends it in a
 * HelloRetryRequest and the client echoes it in its second ClientHello; it is DTLS 1.3's
 * return-routability check, replacing HelloVerifyRequest (RFC 9147 5.1).
 */
public record Cookie(byte[] cookie) {
    /** {@code opaque cookie<1..2^16-1>}: the extension data holds the two-byte length too. */
    public static final int MAX_LENGTH = 0xffff - 2;

    public Cookie {
        if (cookie.length == 0 || cookie.length > MAX_LENGTH) {
            throw new IllegalArgumentException("cookie of " + cookie.length + " bytes");
        }
        cookie = cookie.clone();
    }

    /** @throws DecodeException if empty, overrunning, or followed by bytes */
    public static Cookie from(Extension e) {
        CodeLists.requireType(e, ExtensionType.COOKIE);
        ByteReader r = new ByteReader(e.data());
        byte[] cookie = r.vector16();
        r.expectEnd("cookie");
        if (cookie.length == 0) {
            throw new DecodeException("cookie: empty");
        }
        return new Cookie(cookie);
    }

    public Extension toExtension() {
        return new Extension(ExtensionType.COOKIE, new ByteWriter(2 + cookie.length).vector16(cookie).toByteArray());
    }

    @Override
    public byte[] cookie() {
        return cookie.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cookie c && Arrays.equals(cookie, c.cookie);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cookie);
    }

    @Override
    public String toString() {
        return "Cookie[" + cookie.length + " bytes]";
    }
}

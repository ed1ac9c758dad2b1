package org.dtlsip.dtls.crypto;

import org.dtlsip.dtls.util.ByteWriter;

/**
 * The premaster secret of PSK suites (RFC 4279 2, RFC 5489 2):
 * {@code uint16 len; opaque other_secret[len]; uint16 len; opaque psk[len]} where other_secret
 * is {@code len} zero bytes for plain PSK and the ECDH shared secret for ECDHE_PSK.
 */
public final class PskPremaster {
    private PskPremaster() {
    }

    public static byte[] of(byte[] otherSecret, byte[] psk) {
        return new ByteWriter(4 + otherSecret.length + psk.length).vector16(otherSecret).vector16(psk).toByteArray();
    }

    /** Plain PSK: other_secret is as many zero bytes as the key is long. */
    public static byte[] plain(byte[] psk) {
        return of(new byte[psk.length], psk);
    }
}

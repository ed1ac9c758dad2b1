package org.dtlsip.dtls.crypto;

import java.nio.charset.StandardCharsets;

/**
 * The prefix HKDF-Expand-Label puts before every label. TLS 1.3 uses "tls13 " (RFC 8446 7.1);
 * DTLS 1.3 uses "dtls13", without the trailing space, so that DTLS and TLS keys differ even for
 * identical inputs and the longest label still fits one hash block (RFC 9147 5.9). The TLS
 * prefix is here so that the RFC 8448 traces test the very code DTLS runs.
 */
public enum LabelPrefix {
    TLS13("tls13 "),
    DTLS13("dtls13");

    private final byte[] bytes;

    LabelPrefix(String prefix) {
        this.bytes = prefix.getBytes(StandardCharsets.US_ASCII);
    }

    /** A copy of the prefix bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    int length() {
        return bytes.length;
    }

    void copyTo(byte[] out, int offset) {
        System.arraycopy(bytes, 0, out, offset, bytes.length);
    }
}

package org.dtlsip.dtls.config;

import java.util.Locale;

/**
 * SRTP protection profiles negotiated by use_srtp (RFC 5764 4.1.2, RFC 7714 14.2), with the
 * master key and salt lengths that size the exported keying material (RFC 5764 4.2).
 */
public enum SrtpProfile {
    SRTP_AES128_CM_SHA1_80(0x0001, 16, 14),
    SRTP_AES128_CM_SHA1_32(0x0002, 16, 14),
    SRTP_AEAD_AES_128_GCM(0x0007, 16, 12),
    SRTP_AEAD_AES_256_GCM(0x0008, 32, 12);

    public final int code;
    public final int keyLength;
    public final int saltLength;

    SrtpProfile(int code, int keyLength, int saltLength) {
        this.code = code;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    public static SrtpProfile of(int code) {
        for (SrtpProfile p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        return null;
    }

    /** By OpenSSL name (SRTP_AES128_CM_SHA1_80) or RFC name (SRTP_AES128_CM_HMAC_SHA1_80). */
    public static SrtpProfile byName(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace("HMAC_", "");
        for (SrtpProfile p : values()) {
            if (p.name().equals(n)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown SRTP profile '" + name + "'; supported: "
                + java.util.Arrays.toString(values()));
    }

    /** Bytes of keying material to export: two keys and two salts (RFC 5764 4.2). */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }
}

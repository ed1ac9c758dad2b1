package org.dtlsip.dtls.crypto;

import java.util.Locale;

/**
 * The TLS 1.3 cipher suites DTLS 1.3 may use (RFC 8446 B.4; all "DTLS-OK" in the IANA
 * registry). A TLS 1.3 suite names only the AEAD and the hash: key exchange and authentication
 * are negotiated separately. Every suite has a 12-byte IV (RFC 8446 5.3) and encrypts record
 * numbers with the block cipher under its AEAD (RFC 9147 4.2.3).
 */
public enum Tls13CipherSuite {
    TLS_AES_128_GCM_SHA256(0x1301, CipherSuite.BulkCipher.AES_128_GCM, PrfHash.SHA256,
            RecordNumberCipher.Kind.AES, new AeadLimits(AeadLimits.AES_GCM_RECORDS, AeadLimits.GCM_CHACHA_FORGERIES)),
    TLS_AES_256_GCM_SHA384(0x1302, CipherSuite.BulkCipher.AES_256_GCM, PrfHash.SHA384,
            RecordNumberCipher.Kind.AES, new AeadLimits(AeadLimits.AES_GCM_RECORDS, AeadLimits.GCM_CHACHA_FORGERIES)),
    TLS_CHACHA20_POLY1305_SHA256(0x1303, CipherSuite.BulkCipher.CHACHA20_POLY1305, PrfHash.SHA256,
            RecordNumberCipher.Kind.CHACHA20,
            new AeadLimits(AeadLimits.CHACHA20_POLY1305_RECORDS, AeadLimits.GCM_CHACHA_FORGERIES)),
    TLS_AES_128_CCM_SHA256(0x1304, CipherSuite.BulkCipher.AES_128_CCM, PrfHash.SHA256,
            RecordNumberCipher.Kind.AES, new AeadLimits(AeadLimits.AES_CCM_RECORDS, AeadLimits.AES_CCM_FORGERIES)),
    /** RFC 9147 4.5.3: not for general use (see {@link AeadLimits#AES_CCM_8_FORGERIES}). */
    TLS_AES_128_CCM_8_SHA256(0x1305, CipherSuite.BulkCipher.AES_128_CCM_8, PrfHash.SHA256,
            RecordNumberCipher.Kind.AES, new AeadLimits(AeadLimits.AES_CCM_RECORDS, AeadLimits.AES_CCM_8_FORGERIES));

    /** RFC 8446 5.3: iv_length is 12 for every TLS 1.3 AEAD (max(8 bytes, N_MIN)). */
    public static final int IV_LENGTH = 12;

    public final int code;
    /** The AEAD, shared with the DTLS 1.2 suites' {@link AeadCipher}. */
    public final CipherSuite.BulkCipher aead;
    /** The hash of HKDF and the transcript. */
    public final PrfHash hash;
    public final RecordNumberCipher.Kind recordNumberCipher;
    public final AeadLimits limits;

    Tls13CipherSuite(int code, CipherSuite.BulkCipher aead, PrfHash hash, RecordNumberCipher.Kind recordNumberCipher,
            AeadLimits limits) {
        this.code = code;
        this.aead = aead;
        this.hash = hash;
        this.recordNumberCipher = recordNumberCipher;
        this.limits = limits;
    }

    public int keyLength() {
        return aead.keyLength;
    }

    public int tagLength() {
        return aead.tagLength;
    }

    /** The suite for a wire value, or {@code null} when it is not one of ours. */
    public static Tls13CipherSuite of(int code) {
        for (Tls13CipherSuite s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }

    /** Looks a suite up by its IANA name (which OpenSSL uses for TLS 1.3 too), case-insensitively. */
    public static Tls13CipherSuite byName(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (Tls13CipherSuite s : values()) {
            if (s.name().equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown TLS 1.3 cipher suite '" + name
                + "'; supported: " + java.util.Arrays.toString(values()));
    }
}

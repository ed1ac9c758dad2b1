package org.dtlsip.dtls.crypto;

import java.util.Locale;

/**
 * The cipher suites this implementation negotiates, with IANA and OpenSSL names so that
 * configuration accepts either spelling.
 */
public enum CipherSuite {
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256(0xc02b, "ECDHE-ECDSA-AES128-GCM-SHA256",
            KeyExchange.ECDHE_ECDSA, BulkCipher.AES_128_GCM, PrfHash.SHA256),
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384(0xc02c, "ECDHE-ECDSA-AES256-GCM-SHA384",
            KeyExchange.ECDHE_ECDSA, BulkCipher.AES_256_GCM, PrfHash.SHA384),
    TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256(0xcca9, "ECDHE-ECDSA-CHACHA20-POLY1305",
            KeyExchange.ECDHE_ECDSA, BulkCipher.CHACHA20_POLY1305, PrfHash.SHA256),
    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256(0xc02f, "ECDHE-RSA-AES128-GCM-SHA256",
            KeyExchange.ECDHE_RSA, BulkCipher.AES_128_GCM, PrfHash.SHA256),
    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384(0xc030, "ECDHE-RSA-AES256-GCM-SHA384",
            KeyExchange.ECDHE_RSA, BulkCipher.AES_256_GCM, PrfHash.SHA384),
    TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256(0xcca8, "ECDHE-RSA-CHACHA20-POLY1305",
            KeyExchange.ECDHE_RSA, BulkCipher.CHACHA20_POLY1305, PrfHash.SHA256);

    /** How the premaster secret is agreed and the server authenticated. */
    public enum KeyExchange { ECDHE_ECDSA, ECDHE_RSA }

    /** The record protection algorithm, with its key and IV sizes for the key block (RFC 5246 6.3). */
    public enum BulkCipher {
        /** RFC 5288: 4-byte implicit salt, 8-byte explicit nonce carried in each record. */
        AES_128_GCM(16, 4, 8),
        AES_256_GCM(32, 4, 8),
        /** RFC 7905: 12-byte implicit IV XORed with the padded sequence number, no explicit nonce. */
        CHACHA20_POLY1305(32, 12, 0);

        public final int keyLength;
        public final int fixedIvLength;
        public final int explicitNonceLength;
        public static final int TAG_LENGTH = 16;

        BulkCipher(int keyLength, int fixedIvLength, int explicitNonceLength) {
            this.keyLength = keyLength;
            this.fixedIvLength = fixedIvLength;
            this.explicitNonceLength = explicitNonceLength;
        }

        /** Bytes a protected record adds to its plaintext. */
        public int overhead() {
            return explicitNonceLength + TAG_LENGTH;
        }
    }

    public final int code;
    public final String opensslName;
    public final KeyExchange keyExchange;
    public final BulkCipher bulkCipher;
    public final PrfHash prfHash;

    CipherSuite(int code, String opensslName, KeyExchange keyExchange, BulkCipher bulkCipher,
            PrfHash prfHash) {
        this.code = code;
        this.opensslName = opensslName;
        this.keyExchange = keyExchange;
        this.bulkCipher = bulkCipher;
        this.prfHash = prfHash;
    }

    public String ianaName() {
        return name();
    }

    public static CipherSuite of(int code) {
        for (CipherSuite s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }

    /** Looks a suite up by IANA or OpenSSL name, case-insensitively. */
    public static CipherSuite byName(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (CipherSuite s : values()) {
            if (s.name().equals(n) || s.opensslName.equals(n)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown cipher suite '" + name
                + "'; supported: " + java.util.Arrays.toString(values()));
    }
}

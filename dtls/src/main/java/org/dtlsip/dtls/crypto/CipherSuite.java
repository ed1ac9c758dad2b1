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
            KeyExchange.ECDHE_RSA, BulkCipher.CHACHA20_POLY1305, PrfHash.SHA256),
    /** RFC 7251: the CoAP default suite. */
    TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8(0xc0ae, "ECDHE-ECDSA-AES128-CCM8",
            KeyExchange.ECDHE_ECDSA, BulkCipher.AES_128_CCM_8, PrfHash.SHA256),
    /** RFC 5289 with encrypt_then_mac (RFC 7366) when the peer agrees. */
    TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256(0xc023, "ECDHE-ECDSA-AES128-SHA256",
            KeyExchange.ECDHE_ECDSA, BulkCipher.AES_128_CBC_SHA256, PrfHash.SHA256),
    /** RFC 4492; in TLS 1.2 the PRF is SHA-256 whatever the MAC (RFC 5246 5). */
    TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA(0xc013, "ECDHE-RSA-AES128-SHA",
            KeyExchange.ECDHE_RSA, BulkCipher.AES_128_CBC_SHA, PrfHash.SHA256),
    /** RFC 5487. */
    TLS_PSK_WITH_AES_128_GCM_SHA256(0x00a8, "PSK-AES128-GCM-SHA256",
            KeyExchange.PSK, BulkCipher.AES_128_GCM, PrfHash.SHA256),
    TLS_PSK_WITH_AES_256_GCM_SHA384(0x00a9, "PSK-AES256-GCM-SHA384",
            KeyExchange.PSK, BulkCipher.AES_256_GCM, PrfHash.SHA384),
    /** RFC 6655. */
    TLS_PSK_WITH_AES_128_CCM(0xc0a4, "PSK-AES128-CCM",
            KeyExchange.PSK, BulkCipher.AES_128_CCM, PrfHash.SHA256),
    TLS_PSK_WITH_AES_128_CCM_8(0xc0a8, "PSK-AES128-CCM8",
            KeyExchange.PSK, BulkCipher.AES_128_CCM_8, PrfHash.SHA256),
    /** RFC 7905. */
    TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256(0xccac, "ECDHE-PSK-CHACHA20-POLY1305",
            KeyExchange.ECDHE_PSK, BulkCipher.CHACHA20_POLY1305, PrfHash.SHA256),
    /** RFC 5489. */
    TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256(0xc037, "ECDHE-PSK-AES128-CBC-SHA256",
            KeyExchange.ECDHE_PSK, BulkCipher.AES_128_CBC_SHA256, PrfHash.SHA256);

    /** How the premaster secret is agreed and the server authenticated. */
    public enum KeyExchange {
        ECDHE_ECDSA, ECDHE_RSA,
        /** RFC 4279 2: a pre-shared key alone. */
        PSK,
        /** RFC 5489: ECDHE, authenticated by a pre-shared key. */
        ECDHE_PSK;

        public boolean usesCertificate() {
            return this == ECDHE_ECDSA || this == ECDHE_RSA;
        }

        public boolean usesPsk() {
            return this == PSK || this == ECDHE_PSK;
        }

        public boolean usesEcdhe() {
            return this != PSK;
        }
    }

    /** AEAD or MAC-then/encrypt-then-MAC CBC record protection. */
    public enum CipherType { AEAD, CBC }

    /** The record protection algorithm, with its key and IV sizes for the key block (RFC 5246 6.3). */
    public enum BulkCipher {
        /** RFC 5288: 4-byte implicit salt, 8-byte explicit nonce carried in each record. */
        AES_128_GCM(CipherType.AEAD, 16, 4, 8, 16, null, 0),
        AES_256_GCM(CipherType.AEAD, 32, 4, 8, 16, null, 0),
        /** RFC 7905: 12-byte implicit IV XORed with the padded sequence number, no explicit nonce. */
        CHACHA20_POLY1305(CipherType.AEAD, 32, 12, 0, 16, null, 0),
        /** RFC 6655 3: nonce as for GCM, 16-byte tag. */
        AES_128_CCM(CipherType.AEAD, 16, 4, 8, 16, null, 0),
        /** RFC 6655 3: the 8-byte-tag variant constrained devices use. */
        AES_128_CCM_8(CipherType.AEAD, 16, 4, 8, 8, null, 0),
        /** RFC 5246 6.2.3.2: 16-byte explicit IV per record, HMAC-SHA256. */
        AES_128_CBC_SHA256(CipherType.CBC, 16, 0, 16, 0, "HmacSHA256", 32),
        AES_128_CBC_SHA(CipherType.CBC, 16, 0, 16, 0, "HmacSHA1", 20);

        public final CipherType type;
        public final int keyLength;
        /** Implicit IV bytes from the key block (AEAD only; CBC sends its IV). */
        public final int fixedIvLength;
        /** Bytes of nonce or IV carried in each record. */
        public final int explicitNonceLength;
        /** AEAD tag length; 0 for CBC. */
        public final int tagLength;
        /** JCA HMAC name for CBC suites, else {@code null}. */
        public final String macAlgorithm;
        /** MAC key and output length for CBC suites, else 0. */
        public final int macLength;
        /** The longest AEAD tag of any suite (GCM, CCM, Poly1305). */
        public static final int TAG_LENGTH = 16;
        /** AES block size: CBC padding granularity. */
        public static final int CBC_BLOCK_LENGTH = 16;

        BulkCipher(CipherType type, int keyLength, int fixedIvLength, int explicitNonceLength, int tagLength,
                String macAlgorithm, int macLength) {
            this.type = type;
            this.keyLength = keyLength;
            this.fixedIvLength = fixedIvLength;
            this.explicitNonceLength = explicitNonceLength;
            this.tagLength = tagLength;
            this.macAlgorithm = macAlgorithm;
            this.macLength = macLength;
        }

        /**
         * Most bytes a protected record adds to its plaintext: explicit nonce and tag for AEAD;
         * IV, MAC and up to a full block of padding for CBC.
         */
        public int overhead() {
            return type == CipherType.AEAD
                    ? explicitNonceLength + tagLength
                    : explicitNonceLength + macLength + CBC_BLOCK_LENGTH;
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

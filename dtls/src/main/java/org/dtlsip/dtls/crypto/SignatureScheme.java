package org.dtlsip.dtls.crypto;

/**
 * SignatureAndHashAlgorithm values (RFC 5246 7.4.1.4.1) written as the two-byte codes that
 * RFC 8446 4.2.3 later named; DTLS 1.2 peers send exactly these code points. The last four are
 * TLS 1.3's additions (RFC 8446 4.2.3): Ed25519, and RSASSA-PSS with a key whose certificate
 * says RSASSA-PSS rather than rsaEncryption. {@link Signatures#supported()} (DTLS 1.2) does not
 * offer them; {@link Signatures#supportedTls13()} does.
 */
public enum SignatureScheme {
    ECDSA_SECP256R1_SHA256(0x0403, "SHA256withECDSA", KeyType.EC),
    ECDSA_SECP384R1_SHA384(0x0503, "SHA384withECDSA", KeyType.EC),
    ECDSA_SECP521R1_SHA512(0x0603, "SHA512withECDSA", KeyType.EC),
    RSA_PSS_RSAE_SHA256(0x0804, "SHA256withRSAandMGF1", KeyType.RSA),
    RSA_PSS_RSAE_SHA384(0x0805, "SHA384withRSAandMGF1", KeyType.RSA),
    RSA_PSS_RSAE_SHA512(0x0806, "SHA512withRSAandMGF1", KeyType.RSA),
    RSA_PKCS1_SHA256(0x0401, "SHA256withRSA", KeyType.RSA),
    RSA_PKCS1_SHA384(0x0501, "SHA384withRSA", KeyType.RSA),
    RSA_PKCS1_SHA512(0x0601, "SHA512withRSA", KeyType.RSA),
    ED25519(0x0807, "Ed25519", KeyType.ED25519),
    RSA_PSS_PSS_SHA256(0x0809, "SHA256withRSAandMGF1", KeyType.RSA),
    RSA_PSS_PSS_SHA384(0x080a, "SHA384withRSAandMGF1", KeyType.RSA),
    RSA_PSS_PSS_SHA512(0x080b, "SHA512withRSAandMGF1", KeyType.RSA);

    /** The family of certificate key a scheme signs with. */
    public enum KeyType { EC, RSA, ED25519 }

    public final int code;
    /** Bouncy Castle / JCA algorithm name. */
    public final String jcaName;
    public final KeyType keyType;

    SignatureScheme(int code, String jcaName, KeyType keyType) {
        this.code = code;
        this.jcaName = jcaName;
        this.keyType = keyType;
    }

    public static SignatureScheme of(int code) {
        for (SignatureScheme s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }

    /** RFC 8446 4.2.3: rsa_pss_pss_* need a key whose certificate has the RSASSA-PSS OID. */
    public boolean needsPssKey() {
        return this == RSA_PSS_PSS_SHA256 || this == RSA_PSS_PSS_SHA384 || this == RSA_PSS_PSS_SHA512;
    }

    /**
     * RFC 8446 4.2.3: RSASSA-PKCS1-v1_5 may not sign TLS 1.3 handshake messages (only
     * certificates), and SHA-1 schemes are gone altogether.
     */
    public boolean usableInTls13Handshake() {
        return this != RSA_PKCS1_SHA256 && this != RSA_PKCS1_SHA384 && this != RSA_PKCS1_SHA512;
    }

    public String rfcName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

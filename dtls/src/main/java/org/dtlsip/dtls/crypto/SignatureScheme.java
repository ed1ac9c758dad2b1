package org.dtlsip.dtls.crypto;

/**
 * SignatureAndHashAlgorithm values (RFC 5246 7.4.1.4.1) written as the two-byte codes that
 * RFC 8446 4.2.3 later named; DTLS 1.2 peers send exactly these code points.
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
    RSA_PKCS1_SHA512(0x0601, "SHA512withRSA", KeyType.RSA);

    /** The family of certificate key a scheme signs with. */
    public enum KeyType { EC, RSA }

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

    public String rfcName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

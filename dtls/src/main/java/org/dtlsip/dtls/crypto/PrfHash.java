package org.dtlsip.dtls.crypto;

/** The hash behind the TLS 1.2 PRF, the transcript and Finished (RFC 5246 5, 7.4.9). */
public enum PrfHash {
    SHA256("SHA-256", "HmacSHA256", 32),
    SHA384("SHA-384", "HmacSHA384", 48);

    public final String digestName;
    public final String hmacName;
    public final int length;

    PrfHash(String digestName, String hmacName, int length) {
        this.digestName = digestName;
        this.hmacName = hmacName;
        this.length = length;
    }
}

package org.dtlsip.sample.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The digest algorithms SIP may use (RFC 8760 2.1): SHA-256, preferred, and MD5, kept for
 * peers that know no other (RFC 3261 22.4). Names as in the {@code algorithm} parameter
 * (RFC 7616 3.3, case-insensitive).
 */
public enum DigestAlgorithm {
    SHA_256("SHA-256", "SHA-256"),
    MD5("MD5", "MD5");

    private final String token;
    private final String jcaName;

    DigestAlgorithm(String token, String jcaName) {
        this.token = token;
        this.jcaName = jcaName;
    }

    /** The value of the {@code algorithm} parameter. */
    public String token() {
        return token;
    }

    /**
     * The algorithm named {@code token}; an absent parameter means MD5 (RFC 7616 3.3, RFC 3261
     * 22.4); {@code null} for one we do not implement (e.g. the -sess variants, SHA-512-256).
     */
    public static DigestAlgorithm of(String token) {
        if (token == null || token.isBlank()) {
            return MD5;
        }
        String t = token.trim().toUpperCase(Locale.ROOT);
        for (DigestAlgorithm a : values()) {
            if (a.token.equals(t)) {
                return a;
            }
        }
        return null;
    }

    /** H(data): the lower-case hex digest of the UTF-8 bytes (RFC 7616 3.4.1). */
    public String hash(String data) {
        try {
            MessageDigest md = MessageDigest.getInstance(jcaName);
            return HexFormat.of().formatHex(md.digest(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " is missing from the JDK", e);
        }
    }
}

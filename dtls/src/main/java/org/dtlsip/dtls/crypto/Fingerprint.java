package org.dtlsip.dtls.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import org.dtlsip.dtls.util.Hex;

/**
 * SHA-256 certificate fingerprints, the pinning form used by SDP's {@code a=fingerprint}
 * (RFC 8122 section 5) and printed by {@code openssl x509 -noout -fingerprint -sha256}.
 */
public final class Fingerprint {
    public static final int LENGTH = 32;

    private Fingerprint() {
    }

    /** SHA-256 over the DER encoding of the whole certificate. */
    public static byte[] sha256(X509Certificate cert) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Upper-case, colon-separated hex, e.g. {@code AB:CD:...}, as openssl prints it. */
    public static String format(byte[] fp) {
        return Hex.colonSeparated(fp);
    }

    /**
     * Parses a SHA-256 fingerprint with or without colons, in either case.
     *
     * @throws IllegalArgumentException if it is not hex or not 32 bytes
     */
    public static byte[] parse(String s) {
        String trimmed = s == null ? "" : s.trim();
        byte[] fp;
        try {
            fp = Hex.decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fingerprint '" + s + "' is not hex; expected 32 "
                    + "colon-separated bytes as `openssl x509 -noout -fingerprint -sha256` prints", e);
        }
        if (fp.length != LENGTH) {
            throw new IllegalArgumentException("fingerprint '" + s + "' has " + fp.length
                    + " bytes; a SHA-256 fingerprint has 32 (use "
                    + "`openssl x509 -noout -fingerprint -sha256`)");
        }
        return fp;
    }
}

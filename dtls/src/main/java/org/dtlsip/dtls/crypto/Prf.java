package org.dtlsip.dtls.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The TLS 1.2 pseudo-random function (RFC 5246 section 5), which DTLS 1.2 reuses unchanged
 * (RFC 6347 section 4.2): {@code PRF(secret, label, seed) = P_<hash>(secret, label + seed)}.
 *
 * <p>Only used during the handshake (a handful of calls per association), so a fresh JDK
 * {@link Mac} per call is simpler than caching and costs nothing measurable.
 */
public final class Prf {
    private Prf() {
    }

    /**
     * Expands {@code secret} to {@code length} bytes with the label and seed.
     *
     * @param hash the suite's PRF hash (SHA-256 for every TLS 1.2 suite unless the suite says
     *     otherwise, RFC 5246 section 5)
     * @param label ASCII label, without a terminating NUL (RFC 5246 section 5)
     */
    public static byte[] prf(PrfHash hash, byte[] secret, String label, byte[] seed, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative PRF output length " + length);
        }
        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        byte[] labelSeed = new byte[labelBytes.length + seed.length];
        System.arraycopy(labelBytes, 0, labelSeed, 0, labelBytes.length);
        System.arraycopy(seed, 0, labelSeed, labelBytes.length, seed.length);
        return pHash(hash, secret, labelSeed, length);
    }

    /**
     * {@code P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ...}
     * with {@code A(0) = seed} and {@code A(i) = HMAC(secret, A(i-1))}, truncated to length.
     */
    private static byte[] pHash(PrfHash hash, byte[] secret, byte[] seed, int length) {
        try {
            Mac mac = Mac.getInstance(hash.hmacName);
            // An empty secret is legal for the PRF but SecretKeySpec rejects it; HMAC pads the
            // key with zeros to the block size anyway, so one zero byte is equivalent.
            byte[] keyBytes = secret.length == 0 ? new byte[1] : secret;
            mac.init(new SecretKeySpec(keyBytes, hash.hmacName));
            byte[] out = new byte[length];
            byte[] a = seed;
            int done = 0;
            while (done < length) {
                a = mac.doFinal(a);
                mac.update(a);
                byte[] block = mac.doFinal(seed);
                int n = Math.min(block.length, length - done);
                System.arraycopy(block, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("unusable PRF secret", e);
        } catch (GeneralSecurityException e) {
            // HmacSHA256/384 are mandatory in every Java SE runtime.
            throw new IllegalStateException(hash.hmacName + " missing from the JDK", e);
        }
    }
}

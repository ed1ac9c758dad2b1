package org.dtlsip.dtls.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF (RFC 5869) over the JDK's HMAC, the primitive under the TLS 1.3 key schedule
 * (RFC 8446 7.1).
 *
 * <p>One {@link Mac} is created per instance and re-keyed for every call: looking a Mac up
 * costs about nine times the HMAC itself on 54 bytes (9.6 against 1.1 µs), and Bouncy Castle's
 * HMac is slower than the JDK's (3.7 µs); docs/PROVIDERS.md has the run. Not thread-safe: one
 * instance per handshake, as with the record ciphers.
 */
public final class Hkdf {
    /** RFC 5869 2.3: at most 255 blocks of output. */
    public static final int MAX_BLOCKS = 255;

    private final PrfHash hash;
    private final Mac mac;

    public Hkdf(PrfHash hash) {
        this.hash = hash;
        try {
            this.mac = Mac.getInstance(hash.hmacName);
        } catch (GeneralSecurityException e) {
            // HmacSHA256/384 are mandatory in every Java SE runtime.
            throw new IllegalStateException(hash.hmacName + " missing from the JDK", e);
        }
    }

    public PrfHash hash() {
        return hash;
    }

    /**
     * {@code HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM)} (RFC 5869 2.2). An empty salt stands
     * for {@code Hash.length} zero bytes, which HMAC treats identically (both pad the key block
     * with zeros); TLS 1.3 passes its zeros explicitly.
     */
    public byte[] extract(byte[] salt, byte[] ikm) {
        return hmac(salt.length == 0 ? new byte[hash.length] : salt, ikm);
    }

    /**
     * {@code HKDF-Expand(PRK, info, L)} (RFC 5869 2.3): {@code T(i) = HMAC(PRK, T(i-1) || info || i)},
     * concatenated and cut to {@code length}.
     *
     * @throws IllegalArgumentException if {@code length} exceeds 255 hash blocks or the PRK is
     *     shorter than the hash (RFC 5869 2.3 requires at least HashLen bytes)
     */
    public byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 0 || length > MAX_BLOCKS * hash.length) {
            throw new IllegalArgumentException("HKDF-Expand length " + length + " outside 0.."
                    + MAX_BLOCKS * hash.length);
        }
        if (prk.length < hash.length) {
            throw new IllegalArgumentException("HKDF PRK of " + prk.length + " bytes; need at least "
                    + hash.length);
        }
        init(prk);
        byte[] out = new byte[length];
        byte[] t = new byte[hash.length];
        int done = 0;
        for (int i = 1; done < length; i++) {
            if (i > 1) {
                mac.update(t);
            }
            mac.update(info);
            mac.update((byte) i);
            try {
                mac.doFinal(t, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e); // t has exactly the MAC length
            }
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
        }
        Arrays.fill(t, (byte) 0);
        return out;
    }

    /** {@code HMAC-Hash(key, data)}: Finished and PSK binder values (RFC 8446 4.4.4). */
    public byte[] hmac(byte[] key, byte[] data) {
        init(key);
        return mac.doFinal(data);
    }

    private void init(byte[] key) {
        try {
            mac.init(new SecretKeySpec(key, hash.hmacName));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("unusable HMAC key", e);
        }
    }
}

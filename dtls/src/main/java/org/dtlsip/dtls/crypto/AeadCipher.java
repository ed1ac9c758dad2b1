package org.dtlsip.dtls.crypto;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Record protection with an AEAD cipher (RFC 5246 section 6.2.3.3): AES-GCM (RFC 5288) or
 * ChaCha20-Poly1305 (RFC 7905, RFC 8439). The record layer builds the 12-byte nonce and the
 * additional data (RFC 6347 section 4.1.2.1 adds the epoch to the sequence number); this class
 * only runs the cipher.
 *
 * <p>One instance per direction per epoch, as the key is. Not thread-safe: the JCA
 * {@link Cipher} is cached and re-initialised for every record, which is far cheaper than
 * looking it up again. Both algorithms use the JDK provider; see {@link Providers} for the
 * measurements behind that choice.
 *
 * <p>{@link #open} may decrypt in place ({@code out == in}, {@code outOff == inOff}): the JDK
 * buffers the whole ciphertext until the tag has been checked, so no plaintext is released,
 * or overwritten, before authentication. {@link #seal} needs {@code out} distinct from
 * {@code in}, or {@code outOff == inOff} in the same array.
 */
public final class AeadCipher {
    /** The record layer always supplies a 96-bit nonce (RFC 5288 section 3, RFC 7905 section 2). */
    public static final int NONCE_LENGTH = 12;
    public static final int TAG_LENGTH = CipherSuite.BulkCipher.TAG_LENGTH;

    private final CipherSuite.BulkCipher bulk;
    private final SecretKeySpec key;
    private final boolean encrypt;
    private final Cipher cipher;
    /**
     * The last nonce passed to {@link #open} for ChaCha20-Poly1305. The JDK 17 provider refuses
     * to initialise ChaCha20-Poly1305 twice in a row with the same key and nonce, even to decrypt;
     * without a detour a forged record could make the genuine record with the same sequence
     * number undecryptable.
     */
    private byte[] lastOpenNonce;

    private AeadCipher(CipherSuite.BulkCipher bulk, SecretKeySpec key, boolean encrypt,
            Cipher cipher) {
        this.bulk = bulk;
        this.key = key;
        this.encrypt = encrypt;
        this.cipher = cipher;
    }

    /**
     * @param key the client or server write key from the {@link KeyBlock}
     * @param encrypt true for the sending direction ({@link #seal}), false for {@link #open}
     */
    public static AeadCipher create(CipherSuite.BulkCipher bulk, byte[] key, boolean encrypt) {
        if (key.length != bulk.keyLength) {
            throw new IllegalArgumentException(bulk + " needs a " + bulk.keyLength
                    + "-byte key, got " + key.length);
        }
        String transformation = bulk == CipherSuite.BulkCipher.CHACHA20_POLY1305
                ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding";
        String keyAlgorithm = bulk == CipherSuite.BulkCipher.CHACHA20_POLY1305 ? "ChaCha20" : "AES";
        try {
            return new AeadCipher(bulk, new SecretKeySpec(key, keyAlgorithm), encrypt,
                    Cipher.getInstance(transformation));
        } catch (GeneralSecurityException e) {
            // Both transformations are present in every JDK 11+ runtime.
            throw new IllegalStateException(transformation + " unavailable in this JDK", e);
        }
    }

    public CipherSuite.BulkCipher bulkCipher() {
        return bulk;
    }

    /**
     * Encrypts and authenticates {@code in[inOff..inOff+inLen)} into {@code out} at
     * {@code outOff}, followed by the 16-byte tag.
     *
     * @return bytes written, {@code inLen + 16}
     * @throws IllegalStateException if this instance decrypts, or the nonce repeats (a record
     *     layer bug that would destroy the confidentiality of both records)
     */
    public int seal(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out,
            int outOff) {
        if (!encrypt) {
            throw new IllegalStateException("this AeadCipher was created to decrypt");
        }
        checkNonce(nonce);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, params(nonce));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot start encryption (nonce reused?)", e);
        }
        try {
            cipher.updateAAD(aad);
            return cipher.doFinal(in, inOff, inLen, out, outOff);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer too small: need " + (inLen + TAG_LENGTH)
                    + " bytes at offset " + outOff, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(bulk + " encryption failed", e);
        }
    }

    /**
     * Checks the tag and decrypts {@code in[inOff..inOff+inLen)} (ciphertext plus tag).
     *
     * @return plaintext length, {@code inLen - 16}
     * @throws AEADBadTagException if the record is forged, corrupted or too short to hold a tag;
     *     the caller discards it silently (RFC 6347 section 4.1.2.7)
     */
    public int open(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out,
            int outOff) throws AEADBadTagException {
        if (encrypt) {
            throw new IllegalStateException("this AeadCipher was created to encrypt");
        }
        checkNonce(nonce);
        if (inLen < TAG_LENGTH) {
            throw new AEADBadTagException("record of " + inLen + " bytes is shorter than the tag");
        }
        try {
            if (bulk == CipherSuite.BulkCipher.CHACHA20_POLY1305) {
                if (Arrays.equals(nonce, lastOpenNonce)) {
                    // Detour through another nonce so the JDK accepts the repeat (see field doc).
                    byte[] other = nonce.clone();
                    other[0] ^= 1;
                    cipher.init(Cipher.DECRYPT_MODE, key, params(other));
                }
                lastOpenNonce = nonce.clone();
            }
            cipher.init(Cipher.DECRYPT_MODE, key, params(nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(in, inOff, inLen, out, outOff);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer too small: need " + (inLen - TAG_LENGTH)
                    + " bytes at offset " + outOff, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(bulk + " decryption failed", e);
        }
    }

    private AlgorithmParameterSpec params(byte[] nonce) {
        return bulk == CipherSuite.BulkCipher.CHACHA20_POLY1305
                ? new IvParameterSpec(nonce) : new GCMParameterSpec(TAG_LENGTH * 8, nonce);
    }

    private static void checkNonce(byte[] nonce) {
        if (nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("AEAD nonce must be 12 bytes, got " + nonce.length);
        }
    }
}

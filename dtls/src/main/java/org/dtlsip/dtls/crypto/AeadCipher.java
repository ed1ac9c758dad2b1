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
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CCMBlockCipher;
import org.bouncycastle.crypto.modes.CCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Record protection with an AEAD cipher (RFC 5246 section 6.2.3.3): AES-GCM (RFC 5288),
 * ChaCha20-Poly1305 (RFC 7905, RFC 8439) or AES-CCM with a 16- or 8-byte tag (RFC 6655). The
 * record layer builds the 12-byte nonce and the additional data (RFC 6347 section 4.1.2.1 adds
 * the epoch to the sequence number); this class only runs the cipher. The tag is
 * {@link #tagLength()} bytes: 8 for AES_128_CCM_8, 16 for everything else.
 *
 * <p>One instance per direction per epoch, as the key is. Not thread-safe: the cipher object is
 * cached and re-initialised for every record, which is far cheaper than looking it up again.
 * GCM and ChaCha20-Poly1305 use the JDK provider (see {@link Providers} for the measurements
 * behind that choice). The JDK has no CCM, so CCM runs on Bouncy Castle's lightweight
 * {@link CCMBlockCipher} over {@link AESEngine#newInstance()}.
 *
 * <p>{@link #open} may decrypt in place ({@code out == in}, {@code outOff == inOff}): no
 * plaintext is released, or overwritten, before authentication (the JDK buffers the whole
 * ciphertext until the tag has been checked; for CCM, which decrypts before it can check the
 * tag, we decrypt into a scratch buffer and copy only once the tag matches). {@link #seal}
 * needs {@code out} distinct from {@code in}, or {@code outOff == inOff} in the same array.
 */
public final class AeadCipher {
    /** The record layer always supplies a 96-bit nonce (RFC 5288 section 3, RFC 7905 section 2). */
    public static final int NONCE_LENGTH = 12;
    /** The longest tag of any suite; {@link #tagLength()} is this cipher's own. */
    public static final int TAG_LENGTH = CipherSuite.BulkCipher.TAG_LENGTH;

    private final CipherSuite.BulkCipher bulk;
    private final int tagLength;
    private final SecretKeySpec key;
    private final boolean encrypt;
    /** The JCA cipher for GCM and ChaCha20-Poly1305; {@code null} for CCM. */
    private final Cipher cipher;
    /** Bouncy Castle's CCM for AES_128_CCM(_8); {@code null} otherwise. */
    private final CCMModeCipher ccm;
    private final KeyParameter ccmKey;
    /** CCM decryption output, held back until the tag has been checked. */
    private byte[] ccmScratch = new byte[0];
    /**
     * The last nonce passed to {@link #seal} for CCM. The JDK's GCM refuses to encrypt twice in a
     * row under one nonce; Bouncy Castle's CCM has no such guard, so we keep the same one.
     */
    private byte[] lastSealNonce;
    /**
     * The last nonce passed to {@link #open} for ChaCha20-Poly1305. The JDK 17 provider refuses
     * to initialise ChaCha20-Poly1305 twice in a row with the same key and nonce, even to decrypt;
     * without a detour a forged record could make the genuine record with the same sequence
     * number undecryptable.
     */
    private byte[] lastOpenNonce;

    private AeadCipher(CipherSuite.BulkCipher bulk, SecretKeySpec key, boolean encrypt,
            Cipher cipher, CCMModeCipher ccm) {
        this.bulk = bulk;
        this.tagLength = bulk.tagLength;
        this.key = key;
        this.encrypt = encrypt;
        this.cipher = cipher;
        this.ccm = ccm;
        this.ccmKey = ccm == null ? null : new KeyParameter(key.getEncoded());
    }

    /**
     * @param key the client or server write key from the {@link KeyBlock}
     * @param encrypt true for the sending direction ({@link #seal}), false for {@link #open}
     * @throws IllegalArgumentException for a CBC bulk cipher or a key of the wrong length
     */
    public static AeadCipher create(CipherSuite.BulkCipher bulk, byte[] key, boolean encrypt) {
        if (bulk.type != CipherSuite.CipherType.AEAD) {
            throw new IllegalArgumentException(bulk + " is not an AEAD cipher");
        }
        if (key.length != bulk.keyLength) {
            throw new IllegalArgumentException(bulk + " needs a " + bulk.keyLength
                    + "-byte key, got " + key.length);
        }
        if (isCcm(bulk)) {
            return new AeadCipher(bulk, new SecretKeySpec(key, "AES"), encrypt, null,
                    CCMBlockCipher.newInstance(AESEngine.newInstance()));
        }
        String transformation = bulk == CipherSuite.BulkCipher.CHACHA20_POLY1305
                ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding";
        String keyAlgorithm = bulk == CipherSuite.BulkCipher.CHACHA20_POLY1305 ? "ChaCha20" : "AES";
        try {
            return new AeadCipher(bulk, new SecretKeySpec(key, keyAlgorithm), encrypt,
                    Cipher.getInstance(transformation), null);
        } catch (GeneralSecurityException e) {
            // Both transformations are present in every JDK 11+ runtime.
            throw new IllegalStateException(transformation + " unavailable in this JDK", e);
        }
    }

    public CipherSuite.BulkCipher bulkCipher() {
        return bulk;
    }

    /** Bytes of tag {@link #seal} appends and {@link #open} checks. */
    public int tagLength() {
        return tagLength;
    }

    private static boolean isCcm(CipherSuite.BulkCipher bulk) {
        return bulk == CipherSuite.BulkCipher.AES_128_CCM || bulk == CipherSuite.BulkCipher.AES_128_CCM_8;
    }

    /**
     * Encrypts and authenticates {@code in[inOff..inOff+inLen)} into {@code out} at
     * {@code outOff}, followed by the {@link #tagLength()}-byte tag.
     *
     * @return bytes written, {@code inLen + tagLength()}
     * @throws IllegalStateException if this instance decrypts, or the nonce repeats (a record
     *     layer bug that would destroy the confidentiality of both records)
     */
    public int seal(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out,
            int outOff) {
        if (!encrypt) {
            throw new IllegalStateException("this AeadCipher was created to decrypt");
        }
        checkNonce(nonce);
        if (ccm != null) {
            return ccmSeal(nonce, aad, in, inOff, inLen, out, outOff);
        }
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, params(nonce));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot start encryption (nonce reused?)", e);
        }
        try {
            cipher.updateAAD(aad);
            return cipher.doFinal(in, inOff, inLen, out, outOff);
        } catch (ShortBufferException e) {
            throw new IllegalArgumentException("output buffer too small: need " + (inLen + tagLength)
                    + " bytes at offset " + outOff, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(bulk + " encryption failed", e);
        }
    }

    /**
     * Checks the tag and decrypts {@code in[inOff..inOff+inLen)} (ciphertext plus tag).
     *
     * @return plaintext length, {@code inLen - tagLength()}
     * @throws AEADBadTagException if the record is forged, corrupted or too short to hold a tag;
     *     the caller discards it silently (RFC 6347 section 4.1.2.7)
     */
    public int open(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out,
            int outOff) throws AEADBadTagException {
        if (encrypt) {
            throw new IllegalStateException("this AeadCipher was created to encrypt");
        }
        checkNonce(nonce);
        if (inLen < tagLength) {
            throw new AEADBadTagException("record of " + inLen + " bytes is shorter than the tag");
        }
        if (ccm != null) {
            return ccmOpen(nonce, aad, in, inOff, inLen, out, outOff);
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
            throw new IllegalArgumentException("output buffer too small: need " + (inLen - tagLength)
                    + " bytes at offset " + outOff, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(bulk + " decryption failed", e);
        }
    }

    private AlgorithmParameterSpec params(byte[] nonce) {
        return bulk == CipherSuite.BulkCipher.CHACHA20_POLY1305
                ? new IvParameterSpec(nonce) : new GCMParameterSpec(tagLength * 8, nonce);
    }

    /**
     * RFC 6655 3 / NIST SP 800-38C: with a 12-byte nonce the length field is 3 bytes (L = 3),
     * ample for a 16 KiB record. The tag length goes to Bouncy Castle in bits.
     */
    private int ccmSeal(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out,
            int outOff) {
        if (Arrays.equals(nonce, lastSealNonce)) {
            throw new IllegalStateException("cannot start encryption (nonce reused)");
        }
        if (out.length - outOff < inLen + tagLength) {
            throw new IllegalArgumentException("output buffer too small: need " + (inLen + tagLength)
                    + " bytes at offset " + outOff);
        }
        lastSealNonce = nonce.clone();
        ccm.init(true, new AEADParameters(ccmKey, tagLength * 8, nonce, aad));
        try {
            // CCM buffers all of the input (it needs the length and the CBC-MAC first) and
            // writes everything in doFinal.
            int n = ccm.processBytes(in, inOff, inLen, out, outOff);
            return n + ccm.doFinal(out, outOff + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(bulk + " encryption failed", e);
        }
    }

    private int ccmOpen(byte[] nonce, byte[] aad, byte[] in, int inOff, int inLen, byte[] out,
            int outOff) throws AEADBadTagException {
        int plainLen = inLen - tagLength;
        if (out.length - outOff < plainLen) {
            throw new IllegalArgumentException("output buffer too small: need " + plainLen
                    + " bytes at offset " + outOff);
        }
        if (ccmScratch.length < plainLen) {
            ccmScratch = new byte[plainLen];
        }
        ccm.init(false, new AEADParameters(ccmKey, tagLength * 8, nonce, aad));
        try {
            int n = ccm.processBytes(in, inOff, inLen, ccmScratch, 0);
            n += ccm.doFinal(ccmScratch, n);
            System.arraycopy(ccmScratch, 0, out, outOff, n);
            return n;
        } catch (InvalidCipherTextException e) {
            throw new AEADBadTagException(bulk + " tag mismatch");
        } finally {
            // Unauthenticated (or delivered) plaintext must not linger in the scratch buffer.
            Arrays.fill(ccmScratch, 0, plainLen, (byte) 0);
        }
    }

    private static void checkNonce(byte[] nonce) {
        if (nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("AEAD nonce must be 12 bytes, got " + nonce.length);
        }
    }
}

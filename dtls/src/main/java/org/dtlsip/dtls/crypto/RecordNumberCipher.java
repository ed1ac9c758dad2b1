package org.dtlsip.dtls.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;

/**
 * DTLS 1.3 record number encryption (RFC 9147 4.2.3): the sequence number bits in a unified
 * header are XORed with a mask computed from the first 16 bytes of the record's ciphertext,
 * under the epoch's sn_key:
 *
 * <pre>
 * AES suites:      Mask = AES-ECB(sn_key, Ciphertext[0..15])
 * ChaCha20 suite:  Mask = ChaCha20(sn_key, counter = Ciphertext[0..3], nonce = Ciphertext[4..15])
 * </pre>
 *
 * The ChaCha20 counter is the little-endian reading of the four bytes, as QUIC's header
 * protection defines it (RFC 9001 5.4.4), which RFC 9147 borrowed. Applying the mask twice
 * restores the bits, so one method serves both directions.
 *
 * <p>Providers by measurement (docs/PROVIDERS.md): AES-ECB on the JDK (0.3 µs a mask, the
 * cipher initialised once per epoch, then allocation-free), ChaCha20 on Bouncy Castle's
 * {@link ChaCha7539Engine} (1.5 µs against the JDK's 2.1, and the JDK refuses to initialise
 * ChaCha20 twice in a row with one key and nonce, which two records with equal ciphertext
 * prefixes would trigger). Not thread-safe: one instance per direction per epoch.
 */
public abstract sealed class RecordNumberCipher {
    /** RFC 9147 4.2.3: the mask is computed from 16 bytes of ciphertext, so records must have that many. */
    public static final int SAMPLE_LENGTH = 16;
    /** The longest sequence number field of a unified header: 16 bits (RFC 9147 4). */
    public static final int MAX_MASKED_LENGTH = 2;

    /** The block cipher the mask comes from, fixed by the suite's AEAD. */
    public enum Kind { AES, CHACHA20 }

    private RecordNumberCipher() {
    }

    /** A mask generator for one epoch's sn_key (16 or 32 bytes for AES, 32 for ChaCha20). */
    public static RecordNumberCipher create(Kind kind, byte[] snKey) {
        return switch (kind) {
            case AES -> new Aes(snKey);
            case CHACHA20 -> new ChaCha(snKey);
        };
    }

    /**
     * XORs the mask derived from {@code sample[sampleOff..sampleOff+16)} into
     * {@code bits[bitsOff..bitsOff+bitsLen)}: the 1 or 2 bytes of the sequence number field.
     *
     * @throws IllegalArgumentException if fewer than 16 sample bytes exist (the caller drops
     *     such a record as if it failed deprotection, RFC 9147 4.2.3) or {@code bitsLen} is not 1 or 2
     */
    public final void apply(byte[] sample, int sampleOff, byte[] bits, int bitsOff, int bitsLen) {
        if (sampleOff < 0 || sample.length - sampleOff < SAMPLE_LENGTH) {
            throw new IllegalArgumentException("record number mask needs 16 bytes of ciphertext");
        }
        if (bitsLen < 1 || bitsLen > MAX_MASKED_LENGTH) {
            throw new IllegalArgumentException("sequence number field of " + bitsLen + " bytes");
        }
        byte[] mask = mask(sample, sampleOff);
        for (int i = 0; i < bitsLen; i++) {
            bits[bitsOff + i] ^= mask[i];
        }
    }

    /** The 16-byte mask; the returned array is reused by the next call. */
    abstract byte[] mask(byte[] sample, int sampleOff);

    private static final class Aes extends RecordNumberCipher {
        private final Cipher ecb;
        private final byte[] mask = new byte[SAMPLE_LENGTH];

        Aes(byte[] snKey) {
            if (snKey.length != 16 && snKey.length != 32) {
                throw new IllegalArgumentException("AES sn_key of " + snKey.length + " bytes");
            }
            try {
                ecb = Cipher.getInstance("AES/ECB/NoPadding");
                ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(snKey, "AES"));
            } catch (GeneralSecurityException e) {
                // AES/ECB/NoPadding is in every JDK.
                throw new IllegalStateException("AES/ECB unavailable in this JDK", e);
            }
        }

        @Override
        byte[] mask(byte[] sample, int sampleOff) {
            try {
                ecb.doFinal(sample, sampleOff, SAMPLE_LENGTH, mask, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e); // mask is one block
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-ECB failed", e);
            }
            return mask;
        }
    }

    private static final class ChaCha extends RecordNumberCipher {
        private static final byte[] ZEROS = new byte[SAMPLE_LENGTH];
        /** RFC 8439 2.3: the block function output is 64 bytes; the counter counts blocks. */
        private static final long BLOCK_LENGTH = 64;
        private final ChaCha7539Engine engine = new ChaCha7539Engine();
        private final KeyParameter key;
        private final byte[] nonce = new byte[12];
        private final byte[] mask = new byte[SAMPLE_LENGTH];

        ChaCha(byte[] snKey) {
            if (snKey.length != 32) {
                throw new IllegalArgumentException("ChaCha20 sn_key of " + snKey.length + " bytes");
            }
            key = new KeyParameter(snKey);
        }

        @Override
        byte[] mask(byte[] sample, int sampleOff) {
            long counter = (sample[sampleOff] & 0xffL) | (sample[sampleOff + 1] & 0xffL) << 8
                    | (sample[sampleOff + 2] & 0xffL) << 16 | (sample[sampleOff + 3] & 0xffL) << 24;
            System.arraycopy(sample, sampleOff + 4, nonce, 0, nonce.length);
            engine.init(true, new ParametersWithIV(key, nonce));
            engine.seekTo(counter * BLOCK_LENGTH);
            engine.processBytes(ZEROS, 0, SAMPLE_LENGTH, mask, 0);
            Arrays.fill(nonce, (byte) 0);
            return mask;
        }
    }
}

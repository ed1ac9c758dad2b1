package org.dtlsip.bench.jmh;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtlsip.dtls.crypto.CipherSuite.BulkCipher;

/**
 * The JDK's bare AEAD primitive driven as a record layer must drive it, the baseline our record
 * protection is compared with: one {@code init} per record with a fresh 12-byte nonce, 13 bytes
 * of additional data, output into reused arrays. Opening alternates between two records sealed
 * under different nonces, because the JDK's ChaCha20-Poly1305 refuses to be initialised twice in
 * a row with the same key and nonce, even to decrypt.
 */
final class BareJceAead {
    private static final int NONCE_LENGTH = 12;
    private static final int AAD_LENGTH = 13;
    private static final int TAG_BITS = 128;

    private final BulkCipher bulk;
    private final SecretKeySpec key;
    private final Cipher sealer;
    private final Cipher opener;
    private final byte[] plaintext;
    private final byte[] aad = new byte[AAD_LENGTH];
    private final byte[] nonce = new byte[NONCE_LENGTH];
    private final byte[][] sealed = new byte[2][];
    private final byte[] out;
    private long seq;
    private int nextOpen;

    BareJceAead(BulkCipher bulk, byte[] keyBytes, byte[] plaintext) throws GeneralSecurityException {
        boolean chacha = bulk == BulkCipher.CHACHA20_POLY1305;
        if (!chacha && bulk != BulkCipher.AES_128_GCM && bulk != BulkCipher.AES_256_GCM) {
            throw new IllegalArgumentException("no bare JCE baseline for " + bulk + " (the JDK has no AES-CCM)");
        }
        this.bulk = bulk;
        this.key = new SecretKeySpec(keyBytes, chacha ? "ChaCha20" : "AES");
        String transformation = chacha ? "ChaCha20-Poly1305" : "AES/GCM/NoPadding";
        this.sealer = Cipher.getInstance(transformation);
        this.opener = Cipher.getInstance(transformation);
        this.plaintext = plaintext;
        this.out = new byte[plaintext.length + TAG_BITS / 8];
        for (int i = 0; i < sealed.length; i++) {
            sealed[i] = new byte[out.length];
            seal(sealed[i]);
        }
    }

    /** Seals the plaintext under the next nonce into a reused array; returns the sealed length. */
    int seal() throws GeneralSecurityException {
        return seal(out);
    }

    /** Opens one of the two records sealed at construction into a reused array. */
    int open() throws GeneralSecurityException {
        byte[] record = sealed[nextOpen];
        opener.init(Cipher.DECRYPT_MODE, key, params(nonceFor(nextOpen)));
        nextOpen ^= 1;
        opener.updateAAD(aad);
        return opener.doFinal(record, 0, record.length, out, 0);
    }

    private int seal(byte[] into) throws GeneralSecurityException {
        sealer.init(Cipher.ENCRYPT_MODE, key, params(nonceFor(seq++)));
        sealer.updateAAD(aad);
        return sealer.doFinal(plaintext, 0, plaintext.length, into, 0);
    }

    private byte[] nonceFor(long n) {
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (n >>> (56 - 8 * i));
        }
        return nonce;
    }

    private AlgorithmParameterSpec params(byte[] n) {
        return bulk == BulkCipher.CHACHA20_POLY1305 ? new IvParameterSpec(n) : new GCMParameterSpec(TAG_BITS, n);
    }
}

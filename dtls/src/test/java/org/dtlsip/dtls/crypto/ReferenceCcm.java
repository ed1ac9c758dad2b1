package org.dtlsip.dtls.crypto;

import java.io.ByteArrayOutputStream;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * A deliberately naive AES-CCM written straight from NIST SP 800-38C (section 6.1 and the
 * formatting function of appendix A.2) on top of the JDK's AES block function. It shares no
 * code with Bouncy Castle's CCM, which {@link AeadCipher} uses, so agreement between the two is
 * evidence that both follow the specification. Test use only: slow, and encryption only.
 */
final class ReferenceCcm {
    private ReferenceCcm() {
    }

    /** Returns ciphertext || tag of {@code tagLength} bytes. */
    static byte[] encrypt(byte[] key, byte[] nonce, byte[] aad, byte[] plain, int tagLength)
            throws Exception {
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        int q = 15 - nonce.length; // octets of the message-length field (A.2.1)

        // A.2.1: B0 = flags || N || Q, flags = Adata<<6 | ((t-2)/2)<<3 | (q-1).
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write((aad.length > 0 ? 0x40 : 0) | ((tagLength - 2) / 2) << 3 | (q - 1));
        b.write(nonce, 0, nonce.length);
        for (int i = q - 1; i >= 0; i--) {
            b.write(plain.length >>> (8 * i));
        }
        // A.2.2: for 0 < a < 2^16 - 2^8 the associated data is prefixed by a 2-byte length.
        if (aad.length > 0) {
            b.write(aad.length >>> 8);
            b.write(aad.length);
            b.write(aad, 0, aad.length);
            padToBlock(b);
        }
        // A.2.3: the payload, zero-padded.
        b.write(plain, 0, plain.length);
        padToBlock(b);
        byte[] blocks = b.toByteArray();

        // 6.1 step 4: CBC-MAC with a zero IV.
        byte[] y = new byte[16];
        for (int off = 0; off < blocks.length; off += 16) {
            for (int i = 0; i < 16; i++) {
                y[i] ^= blocks[off + i];
            }
            y = aes.doFinal(y);
        }

        // A.3: Ctr_j = (q-1) || N || [j]_q; S_0 masks the tag, S_1.. the payload.
        byte[] out = new byte[plain.length + tagLength];
        byte[] s0 = aes.doFinal(counter(nonce, q, 0));
        for (int i = 0; i < tagLength; i++) {
            out[plain.length + i] = (byte) (y[i] ^ s0[i]);
        }
        for (int off = 0, j = 1; off < plain.length; off += 16, j++) {
            byte[] s = aes.doFinal(counter(nonce, q, j));
            for (int i = 0; i < 16 && off + i < plain.length; i++) {
                out[off + i] = (byte) (plain[off + i] ^ s[i]);
            }
        }
        return out;
    }

    private static byte[] counter(byte[] nonce, int q, int j) {
        byte[] ctr = new byte[16];
        ctr[0] = (byte) (q - 1);
        System.arraycopy(nonce, 0, ctr, 1, nonce.length);
        for (int i = 0; i < q; i++) {
            ctr[15 - i] = (byte) (j >>> (8 * i));
        }
        return ctr;
    }

    private static void padToBlock(ByteArrayOutputStream b) {
        while (b.size() % 16 != 0) {
            b.write(0);
        }
    }
}

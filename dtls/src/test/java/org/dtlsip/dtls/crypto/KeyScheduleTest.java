package org.dtlsip.dtls.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The derivations are PRF calls with fixed labels and seeds; these tests pin each label and
 * seed order against a direct {@link Prf} call, so a swapped random or label is caught.
 */
class KeyScheduleTest {
    private static final byte[] PRE = filled(32, 1);
    private static final byte[] CR = filled(32, 2);
    private static final byte[] SR = filled(32, 3);

    @Test
    void masterSecretSeedsClientThenServerRandom() {
        byte[] ms = KeySchedule.masterSecret(PrfHash.SHA256, PRE, CR, SR);
        assertEquals(48, ms.length);
        assertArrayEquals(Prf.prf(PrfHash.SHA256, PRE, "master secret", concat(CR, SR), 48), ms);
    }

    @Test
    void extendedMasterSecretUsesSessionHash() {
        byte[] hash = filled(48, 4);
        assertArrayEquals(Prf.prf(PrfHash.SHA384, PRE, "extended master secret", hash, 48),
                KeySchedule.extendedMasterSecret(PrfHash.SHA384, PRE, hash));
    }

    @Test
    void keyBlockForAesGcmSplitsKeysThenSalts() {
        byte[] ms = filled(48, 5);
        CipherSuite s = CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        byte[] raw = Prf.prf(PrfHash.SHA256, ms, "key expansion", concat(SR, CR), 40);
        KeyBlock kb = KeySchedule.keyBlock(s, ms, CR, SR);
        assertArrayEquals(Arrays.copyOfRange(raw, 0, 16), kb.clientWriteKey());
        assertArrayEquals(Arrays.copyOfRange(raw, 16, 32), kb.serverWriteKey());
        assertArrayEquals(Arrays.copyOfRange(raw, 32, 36), kb.clientWriteIv());
        assertArrayEquals(Arrays.copyOfRange(raw, 36, 40), kb.serverWriteIv());
    }

    @Test
    void keyBlockForAeadHasNoMacKeys() {
        KeyBlock kb = KeySchedule.keyBlock(CipherSuite.TLS_PSK_WITH_AES_128_CCM_8, filled(48, 5), CR, SR);
        assertEquals(0, kb.clientWriteMacKey().length);
        assertEquals(0, kb.serverWriteMacKey().length);
        assertEquals(16, kb.clientWriteKey().length);
        assertEquals(4, kb.serverWriteIv().length);
    }

    /** RFC 5246 6.3: MAC keys first, then cipher keys; CBC has no IVs in the block. */
    @Test
    void keyBlockForCbcSha256StartsWithMacKeys() {
        byte[] ms = filled(48, 11);
        byte[] raw = Prf.prf(PrfHash.SHA256, ms, "key expansion", concat(SR, CR), 96);
        KeyBlock kb = KeySchedule.keyBlock(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, ms, CR, SR);
        assertArrayEquals(Arrays.copyOfRange(raw, 0, 32), kb.clientWriteMacKey());
        assertArrayEquals(Arrays.copyOfRange(raw, 32, 64), kb.serverWriteMacKey());
        assertArrayEquals(Arrays.copyOfRange(raw, 64, 80), kb.clientWriteKey());
        assertArrayEquals(Arrays.copyOfRange(raw, 80, 96), kb.serverWriteKey());
        assertEquals(0, kb.clientWriteIv().length);
        assertEquals(0, kb.serverWriteIv().length);
    }

    /** HMAC-SHA1 keys are 20 bytes, while the PRF stays SHA-256 (RFC 5246 5). */
    @Test
    void keyBlockForCbcShaHas20ByteMacKeys() {
        byte[] ms = filled(48, 12);
        byte[] raw = Prf.prf(PrfHash.SHA256, ms, "key expansion", concat(SR, CR), 72);
        KeyBlock kb = KeySchedule.keyBlock(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, ms, CR, SR);
        assertArrayEquals(Arrays.copyOfRange(raw, 0, 20), kb.clientWriteMacKey());
        assertArrayEquals(Arrays.copyOfRange(raw, 20, 40), kb.serverWriteMacKey());
        assertArrayEquals(Arrays.copyOfRange(raw, 40, 56), kb.clientWriteKey());
        assertArrayEquals(Arrays.copyOfRange(raw, 56, 72), kb.serverWriteKey());
    }

    @Test
    void fourComponentKeyBlockHasEmptyMacKeys() {
        byte[] k = filled(16, 1);
        KeyBlock kb = new KeyBlock(k, k, filled(4, 2), filled(4, 3));
        assertEquals(0, kb.clientWriteMacKey().length);
        assertEquals(0, kb.serverWriteMacKey().length);
        assertArrayEquals(k, kb.serverWriteKey());
    }

    @Test
    void keyBlockForChaChaHas12ByteIvs() {
        KeyBlock kb = KeySchedule.keyBlock(CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
                filled(48, 6), CR, SR);
        assertEquals(32, kb.clientWriteKey().length);
        assertEquals(32, kb.serverWriteKey().length);
        assertEquals(12, kb.clientWriteIv().length);
        assertEquals(12, kb.serverWriteIv().length);
    }

    @Test
    void keyBlockForAes256UsesSha384() {
        byte[] ms = filled(48, 7);
        byte[] raw = Prf.prf(PrfHash.SHA384, ms, "key expansion", concat(SR, CR), 72);
        KeyBlock kb = KeySchedule.keyBlock(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                ms, CR, SR);
        assertArrayEquals(Arrays.copyOfRange(raw, 0, 32), kb.clientWriteKey());
        assertArrayEquals(Arrays.copyOfRange(raw, 68, 72), kb.serverWriteIv());
    }

    @Test
    void verifyDataLabelsDifferBySide() {
        byte[] ms = filled(48, 8);
        byte[] hash = filled(32, 9);
        byte[] client = KeySchedule.verifyData(PrfHash.SHA256, ms, true, hash);
        assertArrayEquals(Prf.prf(PrfHash.SHA256, ms, "client finished", hash, 12), client);
        assertArrayEquals(Prf.prf(PrfHash.SHA256, ms, "server finished", hash, 12),
                KeySchedule.verifyData(PrfHash.SHA256, ms, false, hash));
    }

    @Test
    void exporterDistinguishesNoContextFromEmptyContext() {
        byte[] ms = filled(48, 10);
        byte[] none = KeySchedule.exportKeyingMaterial(PrfHash.SHA256, ms, "EXTRACTOR-dtls_srtp",
                CR, SR, null, 60);
        byte[] empty = KeySchedule.exportKeyingMaterial(PrfHash.SHA256, ms, "EXTRACTOR-dtls_srtp",
                CR, SR, new byte[0], 60);
        assertArrayEquals(Prf.prf(PrfHash.SHA256, ms, "EXTRACTOR-dtls_srtp", concat(CR, SR), 60), none);
        assertArrayEquals(Prf.prf(PrfHash.SHA256, ms, "EXTRACTOR-dtls_srtp",
                concat(concat(CR, SR), new byte[] {0, 0}), 60), empty);
        assertFalse(Arrays.equals(none, empty));
        byte[] ctx = {1, 2, 3};
        assertArrayEquals(Prf.prf(PrfHash.SHA256, ms, "EXTRACTOR-dtls_srtp",
                concat(concat(CR, SR), new byte[] {0, 3, 1, 2, 3}), 60),
                KeySchedule.exportKeyingMaterial(PrfHash.SHA256, ms, "EXTRACTOR-dtls_srtp", CR, SR,
                        ctx, 60));
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package org.dtlsip.dtls.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import org.dtlsip.dtls.crypto.CipherSuite.BulkCipher;
import org.dtlsip.dtls.util.Hex;
import org.junit.jupiter.api.Test;

class AeadCipherTest {
    private static final BulkCipher[] AEAD_CIPHERS = {
            BulkCipher.AES_128_GCM, BulkCipher.AES_256_GCM, BulkCipher.CHACHA20_POLY1305,
            BulkCipher.AES_128_CCM, BulkCipher.AES_128_CCM_8};

    // McGrew & Viega, "The Galois/Counter Mode of Operation", test case 4 (AES-128, 96-bit IV).
    private static final byte[] GCM_KEY = Hex.decode("feffe9928665731c6d6a8f9467308308");
    private static final byte[] GCM_P = Hex.decode("d9313225f88406e5a55909c5aff5269a"
            + "86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
            + "b16aedf5aa0de657ba637b39");
    private static final byte[] GCM_A = Hex.decode("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    private static final byte[] GCM_IV = Hex.decode("cafebabefacedbaddecaf888");
    private static final String GCM_CT = "42831ec2217774244b7221b784d0d49c"
            + "e3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa05"
            + "1ba30b396a0aac973d58e091" + "5bc94fbc3221a5db94fae95ae7121a47";

    // RFC 8439 section 2.8.2.
    private static final byte[] CC_KEY = Hex.decode(
            "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    private static final byte[] CC_NONCE = Hex.decode("070000004041424344454647");
    private static final byte[] CC_AAD = Hex.decode("50515253c0c1c2c3c4c5c6c7");
    private static final byte[] CC_P = ("Ladies and Gentlemen of the class of '99: If I could "
            + "offer you only one tip for the future, sunscreen would be it.")
            .getBytes(StandardCharsets.US_ASCII);
    private static final String CC_CT = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
            + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
            + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
            + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691";

    // NIST SP 800-38C appendix C, example 3: AES-128, 12-byte nonce (the RFC 6655 nonce size),
    // 20 bytes of associated data, 24 bytes of payload, 8-byte tag (the CCM_8 tag size).
    private static final byte[] CCM_KEY = Hex.decode("404142434445464748494a4b4c4d4e4f");
    private static final byte[] CCM_NONCE = Hex.decode("101112131415161718191a1b");
    private static final byte[] CCM_A = Hex.decode("000102030405060708090a0b0c0d0e0f10111213");
    private static final byte[] CCM_P = Hex.decode("202122232425262728292a2b2c2d2e2f3031323334353637");
    private static final String CCM_8_CT = "e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5"
            + "484392fbc1b09951";
    // The same inputs with a 16-byte tag. No published vector has this shape; this value was
    // computed with OpenSSL 3.0 (through pyca/cryptography's AESCCM) and agrees with
    // ReferenceCcm. The ciphertext part must equal example 3's, as CCM's keystream does not
    // depend on the tag length.
    private static final String CCM_16_CT = "e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5"
            + "c87ae488918de93f17dd3e4934347f44";
    // Empty payload (an empty application_data record), computed the same way.
    private static final String CCM_16_EMPTY = "551d5d5f39de73135b5b67518627e990";
    private static final String CCM_8_EMPTY = "c96092cdd7b84d88";

    @Test
    void aes128Ccm8Sp80038cExample3() throws Exception {
        roundTrip(BulkCipher.AES_128_CCM_8, CCM_KEY, CCM_NONCE, CCM_A, CCM_P, CCM_8_CT);
    }

    @Test
    void aes128CcmWith16ByteTag() throws Exception {
        roundTrip(BulkCipher.AES_128_CCM, CCM_KEY, CCM_NONCE, CCM_A, CCM_P, CCM_16_CT);
    }

    @Test
    void ccmEmptyPayloadIsTagOnly() throws Exception {
        roundTrip(BulkCipher.AES_128_CCM, CCM_KEY, CCM_NONCE, CCM_A, new byte[0], CCM_16_EMPTY);
        roundTrip(BulkCipher.AES_128_CCM_8, CCM_KEY, CCM_NONCE, CCM_A, new byte[0], CCM_8_EMPTY);
    }

    /**
     * Bouncy Castle's CCM against {@link ReferenceCcm}, an independent reading of SP 800-38C over
     * the JDK's AES, for every payload length across several blocks and TLS's 13-byte AAD.
     */
    @Test
    void ccmAgreesWithReferenceImplementation() throws Exception {
        java.util.Random rnd = new java.util.Random(6655);
        for (BulkCipher bulk : new BulkCipher[] {BulkCipher.AES_128_CCM, BulkCipher.AES_128_CCM_8}) {
            for (int len = 0; len <= 70; len++) {
                byte[] key = new byte[16];
                byte[] nonce = new byte[12];
                byte[] aad = new byte[13];
                byte[] plain = new byte[len];
                rnd.nextBytes(key);
                rnd.nextBytes(nonce);
                rnd.nextBytes(aad);
                rnd.nextBytes(plain);
                byte[] expected = ReferenceCcm.encrypt(key, nonce, aad, plain, bulk.tagLength);
                assertArrayEquals(expected, seal(bulk, key, nonce, aad, plain), bulk + " length " + len);
            }
        }
    }

    /** CCM decrypts before it can check the tag; a forgery must not leave plaintext behind. */
    @Test
    void ccmForgeryOpenedInPlaceLeavesBufferUntouched() {
        for (BulkCipher bulk : new BulkCipher[] {BulkCipher.AES_128_CCM, BulkCipher.AES_128_CCM_8}) {
            byte[] ct = seal(bulk, CCM_KEY, CCM_NONCE, CCM_A, CCM_P);
            ct[ct.length - 1] ^= 1;
            byte[] buf = ct.clone();
            AeadCipher dec = AeadCipher.create(bulk, CCM_KEY, false);
            assertThrows(AEADBadTagException.class,
                    () -> dec.open(CCM_NONCE, CCM_A, buf, 0, buf.length, buf, 0));
            assertArrayEquals(ct, buf, bulk.name());
        }
    }

    @Test
    void ccmRefusesToSealTwiceUnderOneNonce() {
        AeadCipher enc = AeadCipher.create(BulkCipher.AES_128_CCM_8, CCM_KEY, true);
        byte[] out = new byte[CCM_P.length + 8];
        enc.seal(CCM_NONCE, CCM_A, CCM_P, 0, CCM_P.length, out, 0);
        assertThrows(IllegalStateException.class,
                () -> enc.seal(CCM_NONCE, CCM_A, CCM_P, 0, CCM_P.length, out, 0));
    }

    @Test
    void tagLengthFollowsTheBulkCipher() {
        for (BulkCipher bulk : AEAD_CIPHERS) {
            assertEquals(bulk == BulkCipher.AES_128_CCM_8 ? 8 : 16,
                    AeadCipher.create(bulk, new byte[bulk.keyLength], true).tagLength(), bulk.name());
        }
    }

    @Test
    void aes128GcmMcGrewViegaCase4() throws Exception {
        roundTrip(BulkCipher.AES_128_GCM, GCM_KEY, GCM_IV, GCM_A, GCM_P, GCM_CT);
    }

    @Test
    void chacha20Poly1305Rfc8439Section282() throws Exception {
        roundTrip(BulkCipher.CHACHA20_POLY1305, CC_KEY, CC_NONCE, CC_AAD, CC_P, CC_CT);
    }

    @Test
    void tamperedCiphertextTagOrAadIsRejected() {
        for (BulkCipher bulk : AEAD_CIPHERS) {
            byte[] key = new byte[bulk.keyLength];
            byte[] ct = seal(bulk, key, GCM_IV, GCM_A, GCM_P);
            AeadCipher dec = AeadCipher.create(bulk, key, false);
            for (int i : new int[] {0, ct.length - 1}) {
                byte[] bad = ct.clone();
                bad[i] ^= 0x01;
                assertThrows(AEADBadTagException.class, () -> dec.open(GCM_IV, GCM_A, bad, 0,
                        bad.length, new byte[bad.length], 0), bulk + " byte " + i);
            }
            byte[] badAad = GCM_A.clone();
            badAad[3] ^= 1;
            assertThrows(AEADBadTagException.class,
                    () -> dec.open(GCM_IV, badAad, ct, 0, ct.length, new byte[ct.length], 0));
            assertThrows(AEADBadTagException.class,
                    () -> dec.open(GCM_IV, GCM_A, ct, 0, 15, new byte[16], 0));
            assertThrows(AEADBadTagException.class,
                    () -> dec.open(GCM_IV, GCM_A, ct, 0, bulk.tagLength - 1, new byte[16], 0));
        }
    }

    /** A forged record must not stop the genuine record with the same nonce from opening. */
    @Test
    void genuineRecordOpensAfterForgeryWithSameNonce() throws Exception {
        for (BulkCipher bulk : AEAD_CIPHERS) {
            byte[] key = new byte[bulk.keyLength];
            byte[] ct = seal(bulk, key, GCM_IV, GCM_A, GCM_P);
            AeadCipher dec = AeadCipher.create(bulk, key, false);
            byte[] forged = ct.clone();
            forged[5] ^= 0x40;
            assertThrows(AEADBadTagException.class,
                    () -> dec.open(GCM_IV, GCM_A, forged, 0, forged.length, new byte[ct.length], 0));
            byte[] out = new byte[ct.length];
            int n = dec.open(GCM_IV, GCM_A, ct, 0, ct.length, out, 0);
            assertArrayEquals(GCM_P, Arrays.copyOf(out, n), bulk.name());
        }
    }

    @Test
    void openInPlaceAtOffset() throws Exception {
        for (BulkCipher bulk : AEAD_CIPHERS) {
            byte[] key = new byte[bulk.keyLength];
            key[0] = 7;
            byte[] ct = seal(bulk, key, GCM_IV, GCM_A, GCM_P);
            byte[] buf = new byte[ct.length + 13];
            System.arraycopy(ct, 0, buf, 13, ct.length);
            int n = AeadCipher.create(bulk, key, false).open(GCM_IV, GCM_A, buf, 13, ct.length, buf, 13);
            assertArrayEquals(GCM_P, Arrays.copyOfRange(buf, 13, 13 + n), bulk.name());
        }
    }

    @Test
    void sealInPlace() throws Exception {
        for (BulkCipher bulk : AEAD_CIPHERS) {
            byte[] key = new byte[bulk.keyLength];
            byte[] buf = new byte[5 + GCM_P.length + bulk.tagLength];
            System.arraycopy(GCM_P, 0, buf, 5, GCM_P.length);
            int n = AeadCipher.create(bulk, key, true).seal(GCM_IV, GCM_A, buf, 5, GCM_P.length, buf, 5);
            assertArrayEquals(seal(bulk, key, GCM_IV, GCM_A, GCM_P), Arrays.copyOfRange(buf, 5, 5 + n));
        }
    }

    @Test
    void wrongKeyOrNonceLengthIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> AeadCipher.create(BulkCipher.AES_128_GCM, new byte[32], true));
        AeadCipher enc = AeadCipher.create(BulkCipher.AES_256_GCM, new byte[32], true);
        assertThrows(IllegalArgumentException.class,
                () -> enc.seal(new byte[8], GCM_A, GCM_P, 0, GCM_P.length, new byte[100], 0));
        AeadCipher ccm = AeadCipher.create(BulkCipher.AES_128_CCM, new byte[16], true);
        assertThrows(IllegalArgumentException.class,
                () -> ccm.seal(new byte[13], GCM_A, GCM_P, 0, GCM_P.length, new byte[100], 0));
        assertThrows(IllegalArgumentException.class,
                () -> AeadCipher.create(BulkCipher.AES_128_CBC_SHA256, new byte[16], true));
    }

    private static void roundTrip(BulkCipher bulk, byte[] key, byte[] nonce, byte[] aad,
            byte[] plain, String expectedHex) throws Exception {
        byte[] ct = seal(bulk, key, nonce, aad, plain);
        assertEquals(expectedHex, Hex.encode(ct));
        byte[] out = new byte[ct.length];
        int n = AeadCipher.create(bulk, key, false).open(nonce, aad, ct, 0, ct.length, out, 0);
        assertEquals(plain.length, n);
        assertArrayEquals(plain, Arrays.copyOf(out, n));
    }

    private static byte[] seal(BulkCipher bulk, byte[] key, byte[] nonce, byte[] aad, byte[] plain) {
        byte[] out = new byte[plain.length + bulk.tagLength + 3];
        int n = AeadCipher.create(bulk, key, true).seal(nonce, aad, plain, 0, plain.length, out, 3);
        assertEquals(plain.length + bulk.tagLength, n);
        return Arrays.copyOfRange(out, 3, 3 + n);
    }
}

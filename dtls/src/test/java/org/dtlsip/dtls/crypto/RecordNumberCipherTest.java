package org.dtlsip.dtls.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * RFC 9147 4.2.3 masks, each checked against an independent implementation of the block
 * function: the JDK's AES and ChaCha20 (ours runs ChaCha20 on Bouncy Castle).
 */
class RecordNumberCipherTest {
    private final Random random = new Random(9147);

    @Test
    void aesMaskIsTheEcbEncryptionOfTheFirst16CiphertextBytes() throws Exception {
        for (int keyLength : new int[] {16, 32}) {
            byte[] key = bytes(keyLength);
            byte[] ciphertext = bytes(40);
            Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
            byte[] mask = ecb.doFinal(ciphertext, 3, 16);
            byte[] seq = {0x12, 0x34};
            RecordNumberCipher.create(RecordNumberCipher.Kind.AES, key).apply(ciphertext, 3, seq, 0, 2);
            assertArrayEquals(new byte[] {(byte) (0x12 ^ mask[0]), (byte) (0x34 ^ mask[1])}, seq);
        }
    }

    /** The counter is Ciphertext[0..3] read little-endian (RFC 9001 5.4.4, which RFC 9147 follows). */
    @Test
    void chachaMaskUsesLittleEndianCounterAndTheNext12BytesAsNonce() throws Exception {
        byte[] key = bytes(32);
        for (byte[] counter : new byte[][] {{1, 0, 0, 0}, {0, 0, 0, 0}, {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                {(byte) 0x9a, 0x02, 0x41, (byte) 0x80}}) {
            byte[] ciphertext = bytes(24);
            System.arraycopy(counter, 0, ciphertext, 0, 4);
            int littleEndian = (counter[0] & 0xff) | (counter[1] & 0xff) << 8 | (counter[2] & 0xff) << 16
                    | (counter[3] & 0xff) << 24;
            Cipher jdk = Cipher.getInstance("ChaCha20");
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"),
                    new ChaCha20ParameterSpec(Arrays.copyOfRange(ciphertext, 4, 16), littleEndian));
            byte[] mask = jdk.doFinal(new byte[16]);
            byte[] seq = {0x00, (byte) 0x80};
            RecordNumberCipher.create(RecordNumberCipher.Kind.CHACHA20, key).apply(ciphertext, 0, seq, 0, 2);
            assertArrayEquals(new byte[] {mask[0], (byte) (0x80 ^ mask[1])}, seq, Arrays.toString(counter));
        }
    }

    @Test
    void applyingTheMaskTwiceRestoresTheBitsAndTheSameSampleTwiceWorks() {
        for (RecordNumberCipher.Kind kind : RecordNumberCipher.Kind.values()) {
            RecordNumberCipher c = RecordNumberCipher.create(kind, bytes(32));
            byte[] sample = bytes(16);
            byte[] seq = {7};
            c.apply(sample, 0, seq, 0, 1);
            c.apply(sample, 0, seq, 0, 1);
            assertArrayEquals(new byte[] {7}, seq, kind.toString());
        }
    }

    @Test
    void fewerThan16SampleBytesAreRefused() {
        RecordNumberCipher c = RecordNumberCipher.create(RecordNumberCipher.Kind.AES, bytes(16));
        assertThrows(IllegalArgumentException.class, () -> c.apply(new byte[20], 5, new byte[2], 0, 2));
        assertThrows(IllegalArgumentException.class, () -> c.apply(new byte[20], 0, new byte[3], 0, 3));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}

package org.dtlsip.dtls.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.dtlsip.dtls.crypto.CipherSuite.BulkCipher;
import org.dtlsip.dtls.crypto.CipherSuite.CipherType;
import org.dtlsip.dtls.util.Hex;
import org.junit.jupiter.api.Test;

class AeadProtectionTest {
    private static final int TYPE = ContentType.APPLICATION_DATA.code;
    private static final int VERSION = ProtocolVersion.DTLS_1_2;

    // One DTLS 1.2 application_data record, epoch 1, sequence number 5, plaintext
    // "hello, dtls", under key 000102..0f and salt a0a1a2a3: nonce = salt || epoch||seq,
    // AAD = epoch||seq || 23 || fe fd || 00 0b (RFC 5288 3, RFC 6655 3, RFC 6347 4.1.2.1).
    // The expected fragments were computed with OpenSSL 3.0 through pyca/cryptography's
    // AESCCM and AESGCM, assembling nonce and AAD by hand from those RFCs.
    private static final byte[] KEY = Hex.decode("000102030405060708090a0b0c0d0e0f");
    private static final byte[] SALT = Hex.decode("a0a1a2a3");
    private static final byte[] PLAIN = "hello, dtls".getBytes(StandardCharsets.US_ASCII);
    private static final String CCM_8_RECORD = "0001000000000005" + "4498625bc08ae457685b24"
            + "a4236f7a2af0e08b";
    private static final String CCM_RECORD = "0001000000000005" + "4498625bc08ae457685b24"
            + "09fd7000049ce1e878a01afc2a6013dc";
    private static final String GCM_RECORD = "0001000000000005" + "a46f3dea4bbbcaf08029c0"
            + "1049cb42a10e3bbf6a062f9173828270";

    @Test
    void ccm8RecordMatchesOpenSsl() {
        knownRecord(BulkCipher.AES_128_CCM_8, CCM_8_RECORD);
    }

    @Test
    void ccmRecordMatchesOpenSsl() {
        knownRecord(BulkCipher.AES_128_CCM, CCM_RECORD);
    }

    @Test
    void gcmRecordMatchesOpenSsl() {
        knownRecord(BulkCipher.AES_128_GCM, GCM_RECORD);
    }

    @Test
    void roundTripAndTamperForEveryAeadCipher() {
        Random rnd = new Random(6655);
        for (BulkCipher bulk : BulkCipher.values()) {
            if (bulk.type != CipherType.AEAD) {
                continue;
            }
            byte[] key = new byte[bulk.keyLength];
            byte[] iv = new byte[bulk.fixedIvLength];
            rnd.nextBytes(key);
            rnd.nextBytes(iv);
            RecordProtection w = AeadProtection.forWriting(bulk, key, iv);
            RecordProtection r = AeadProtection.forReading(bulk, key, iv);
            assertEquals(bulk.explicitNonceLength + bulk.tagLength, w.overhead(), bulk.name());
            for (int len : new int[] {0, 1, 100, Record.MAX_PLAINTEXT_LENGTH}) {
                byte[] plain = new byte[len];
                rnd.nextBytes(plain);
                byte[] fragment = w.protect(TYPE, VERSION, 2, len, plain, 0, len);
                assertEquals(len + w.overhead(), fragment.length, bulk + " " + len);
                assertArrayEquals(plain, r.unprotect(new Record(TYPE, VERSION, 2, len, fragment)));
                byte[] bad = fragment.clone();
                bad[bad.length - 1] ^= 1;
                assertNull(r.unprotect(new Record(TYPE, VERSION, 2, len, bad)), bulk.name());
                assertNull(r.unprotect(new Record(TYPE, VERSION, 2, len + 1L, fragment)), bulk.name());
            }
            for (int len = 0; len < bulk.explicitNonceLength + bulk.tagLength; len++) {
                assertNull(r.unprotect(new Record(TYPE, VERSION, 2, 0, new byte[len])), bulk + " " + len);
            }
        }
    }

    private static void knownRecord(BulkCipher bulk, String expectedHex) {
        byte[] fragment = AeadProtection.forWriting(bulk, KEY, SALT)
                .protect(TYPE, VERSION, 1, 5, PLAIN, 0, PLAIN.length);
        assertEquals(expectedHex, Hex.encode(fragment));
        Record record = new Record(TYPE, VERSION, 1, 5, Hex.decode(expectedHex));
        assertArrayEquals(PLAIN, AeadProtection.forReading(bulk, KEY, SALT).unprotect(record));
        byte[] shortened = Arrays.copyOf(record.fragment(), record.fragment().length - 1);
        assertNull(AeadProtection.forReading(bulk, KEY, SALT)
                .unprotect(new Record(TYPE, VERSION, 1, 5, shortened)));
    }
}

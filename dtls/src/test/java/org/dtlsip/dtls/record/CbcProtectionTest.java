package org.dtlsip.dtls.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.dtlsip.dtls.crypto.CipherSuite.BulkCipher;
import org.junit.jupiter.api.Test;

/**
 * CBC record protection in both layouts. The "independent" helpers below build and open records
 * straight from the RFC formulas with the JDK's Cipher and Mac, so the tests check the wire
 * format, not just that writer and reader agree with each other.
 */
class CbcProtectionTest {
    private static final BulkCipher[] CBC = {BulkCipher.AES_128_CBC_SHA256, BulkCipher.AES_128_CBC_SHA};
    private static final boolean[] MODES = {false, true};
    private static final int TYPE = ContentType.APPLICATION_DATA.code;
    private static final int VERSION = ProtocolVersion.DTLS_1_2;
    private static final int EPOCH = 1;
    private static final long SEQ = 0x0000_1234_5678_9aL;

    @Test
    void roundTripsEveryLengthInBothModes() {
        Random rnd = new Random(5246);
        for (BulkCipher bulk : CBC) {
            for (boolean etm : MODES) {
                Keys k = keys(bulk, rnd);
                RecordProtection w = k.writer(etm);
                RecordProtection r = k.reader(etm);
                for (int len : lengths()) {
                    byte[] plain = new byte[len];
                    rnd.nextBytes(plain);
                    byte[] fragment = w.protect(TYPE, VERSION, EPOCH, SEQ + len, plain, 0, len);
                    assertEquals(0, (fragment.length - 16 - (etm ? bulk.macLength : 0)) % 16);
                    assertTrue(fragment.length - len <= w.overhead(), bulk + " " + len);
                    assertArrayEquals(plain, r.unprotect(record(EPOCH, SEQ + len, fragment)),
                            bulk + " etm=" + etm + " length " + len);
                }
            }
        }
    }

    @Test
    void protectHonoursOffsetAndLength() {
        Keys k = keys(BulkCipher.AES_128_CBC_SHA256, new Random(1));
        byte[] buf = "xxhello worldyy".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] fragment = k.writer(false).protect(TYPE, VERSION, EPOCH, SEQ, buf, 2, 11);
        assertArrayEquals(Arrays.copyOfRange(buf, 2, 13), k.reader(false).unprotect(record(EPOCH, SEQ, fragment)));
    }

    /** Our records open with the RFC formulas computed directly on the JDK's primitives. */
    @Test
    void ourRecordsOpenIndependently() throws Exception {
        Random rnd = new Random(7366);
        for (BulkCipher bulk : CBC) {
            for (boolean etm : MODES) {
                Keys k = keys(bulk, rnd);
                for (int len : new int[] {0, 1, 15, 16, 17, 100}) {
                    byte[] plain = new byte[len];
                    rnd.nextBytes(plain);
                    byte[] fragment = k.writer(etm).protect(TYPE, VERSION, EPOCH, SEQ, plain, 0, len);
                    assertArrayEquals(plain, independentOpen(bulk, k, etm, EPOCH, SEQ, fragment),
                            bulk + " etm=" + etm + " length " + len);
                }
            }
        }
    }

    /** Records built independently open, including the longest padding the RFC allows. */
    @Test
    void independentRecordsOpen() throws Exception {
        Random rnd = new Random(6347);
        for (BulkCipher bulk : CBC) {
            for (boolean etm : MODES) {
                Keys k = keys(bulk, rnd);
                RecordProtection r = k.reader(etm);
                for (int len : new int[] {0, 1, 31, 200}) {
                    byte[] plain = new byte[len];
                    rnd.nextBytes(plain);
                    int minPad = minimalPadValue(bulk, etm, len);
                    for (int pad : new int[] {minPad, minPad + 16, minPad + 16 * ((255 - minPad) / 16)}) {
                        byte[] fragment = independentSeal(bulk, k, etm, EPOCH, SEQ, plain, pad, -1, rnd);
                        assertArrayEquals(plain, r.unprotect(record(EPOCH, SEQ, fragment)),
                                bulk + " etm=" + etm + " length " + len + " padding " + pad);
                    }
                }
            }
        }
    }

    @Test
    void tamperingAnywhereIsDropped() {
        Random rnd = new Random(13);
        for (BulkCipher bulk : CBC) {
            for (boolean etm : MODES) {
                Keys k = keys(bulk, rnd);
                RecordProtection r = k.reader(etm);
                byte[] plain = new byte[40];
                rnd.nextBytes(plain);
                byte[] fragment = k.writer(etm).protect(TYPE, VERSION, EPOCH, SEQ, plain, 0, plain.length);
                // Every byte: IV, ciphertext, padding, MAC.
                for (int i = 0; i < fragment.length; i++) {
                    byte[] bad = fragment.clone();
                    bad[i] ^= 0x01;
                    assertNull(r.unprotect(record(EPOCH, SEQ, bad)), bulk + " etm=" + etm + " byte " + i);
                }
                assertNotNull(r.unprotect(record(EPOCH, SEQ, fragment)));
            }
        }
    }

    /** The MAC covers epoch, sequence number, type and version. */
    @Test
    void headerFieldsAreAuthenticated() {
        for (BulkCipher bulk : CBC) {
            for (boolean etm : MODES) {
                Keys k = keys(bulk, new Random(2));
                RecordProtection r = k.reader(etm);
                byte[] fragment = k.writer(etm).protect(TYPE, VERSION, EPOCH, SEQ, new byte[5], 0, 5);
                assertNull(r.unprotect(record(EPOCH + 1, SEQ, fragment)));
                assertNull(r.unprotect(record(EPOCH, SEQ + 1, fragment)));
                assertNull(r.unprotect(new Record(ContentType.HANDSHAKE.code, VERSION, EPOCH, SEQ, fragment)));
                assertNull(r.unprotect(new Record(TYPE, ProtocolVersion.DTLS_1_0, EPOCH, SEQ, fragment)));
            }
        }
    }

    /** Correct MAC, wrong padding bytes: the MAC-then-encrypt padding oracle case. */
    @Test
    void badPaddingUnderAValidMacIsDropped() throws Exception {
        Random rnd = new Random(4108);
        for (BulkCipher bulk : CBC) {
            for (boolean etm : MODES) {
                Keys k = keys(bulk, rnd);
                RecordProtection r = k.reader(etm);
                byte[] plain = new byte[30];
                rnd.nextBytes(plain);
                int pad = minimalPadValue(bulk, etm, plain.length) + 16;
                // Corrupt each padding byte in turn (not the length byte itself).
                for (int corrupt = 0; corrupt < pad; corrupt++) {
                    byte[] fragment = independentSeal(bulk, k, etm, EPOCH, SEQ, plain, pad, corrupt, rnd);
                    assertNull(r.unprotect(record(EPOCH, SEQ, fragment)),
                            bulk + " etm=" + etm + " corrupt padding byte " + corrupt);
                }
            }
        }
    }

    /** A padding length byte pointing before the start of the record, with a valid MAC. */
    @Test
    void paddingLongerThanTheRecordIsDropped() throws Exception {
        for (BulkCipher bulk : CBC) {
            Keys k = keys(bulk, new Random(3));
            // MAC-then-encrypt, empty plaintext: MAC then padding with a length byte of 255 in
            // a record far shorter than 256 bytes.
            byte[] data = concat(independentMac(bulk, k, EPOCH, SEQ, 0, new byte[0]), new byte[0]);
            int padTotal = 16 - data.length % 16;
            byte[] padded = Arrays.copyOf(data, data.length + padTotal);
            Arrays.fill(padded, data.length, padded.length, (byte) 255);
            byte[] iv = new byte[16];
            byte[] fragment = concat(iv, aesCbc(k.enc, iv, padded));
            assertNull(k.reader(false).unprotect(record(EPOCH, SEQ, fragment)), bulk.name());
        }
    }

    @Test
    void shortAndMisalignedRecordsAreDropped() {
        for (BulkCipher bulk : CBC) {
            for (boolean etm : MODES) {
                Keys k = keys(bulk, new Random(4));
                RecordProtection r = k.reader(etm);
                // IV + MAC + padding-length byte, rounded up to blocks as each layout needs.
                int min = etm ? 16 + 16 + bulk.macLength : 16 + roundUp(bulk.macLength + 1);
                for (int len = 0; len < min; len++) {
                    assertNull(r.unprotect(record(EPOCH, SEQ, new byte[len])), bulk + " etm=" + etm + " " + len);
                }
                byte[] fragment = k.writer(etm).protect(TYPE, VERSION, EPOCH, SEQ, new byte[0], 0, 0);
                assertEquals(min, fragment.length, "empty plaintext gives the shortest record");
                assertNotNull(r.unprotect(record(EPOCH, SEQ, fragment)));
                assertNull(r.unprotect(record(EPOCH, SEQ, Arrays.copyOf(fragment, fragment.length + 1))));
                assertNull(r.unprotect(record(EPOCH, SEQ, Arrays.copyOf(fragment, fragment.length - 1))));
                assertNull(r.unprotect(record(EPOCH, SEQ, new byte[Record.MAX_CIPHERTEXT_LENGTH + 16])));
            }
        }
    }

    @Test
    void layoutsDoNotOpenEachOther() {
        for (BulkCipher bulk : CBC) {
            Keys k = keys(bulk, new Random(5));
            for (int len : new int[] {0, 10, 64}) {
                byte[] mte = k.writer(false).protect(TYPE, VERSION, EPOCH, SEQ, new byte[len], 0, len);
                byte[] etm = k.writer(true).protect(TYPE, VERSION, EPOCH, SEQ, new byte[len], 0, len);
                assertNull(k.reader(true).unprotect(record(EPOCH, SEQ, mte)));
                assertNull(k.reader(false).unprotect(record(EPOCH, SEQ, etm)));
            }
        }
    }

    @Test
    void ivsAreFreshPerRecord() {
        Keys k = keys(BulkCipher.AES_128_CBC_SHA256, new Random(6));
        RecordProtection w = k.writer(true);
        byte[] a = w.protect(TYPE, VERSION, EPOCH, SEQ, new byte[16], 0, 16);
        byte[] b = w.protect(TYPE, VERSION, EPOCH, SEQ + 1, new byte[16], 0, 16);
        assertTrue(!Arrays.equals(Arrays.copyOf(a, 16), Arrays.copyOf(b, 16)));
    }

    @Test
    void misuseIsRejected() {
        byte[] key = new byte[16];
        byte[] macKey = new byte[32];
        SecureRandom random = new SecureRandom();
        assertThrows(IllegalArgumentException.class,
                () -> CbcProtection.forWriting(BulkCipher.AES_128_GCM, key, macKey, false, random));
        assertThrows(IllegalArgumentException.class,
                () -> CbcProtection.forReading(BulkCipher.AES_128_CBC_SHA256, new byte[32], macKey, false));
        assertThrows(IllegalArgumentException.class,
                () -> CbcProtection.forReading(BulkCipher.AES_128_CBC_SHA, key, macKey, false));
        CbcProtection reader = CbcProtection.forReading(BulkCipher.AES_128_CBC_SHA256, key, macKey, true);
        assertThrows(IllegalStateException.class, () -> reader.protect(TYPE, VERSION, 1, 0, new byte[1], 0, 1));
        CbcProtection writer = CbcProtection.forWriting(BulkCipher.AES_128_CBC_SHA256, key, macKey, true, random);
        assertThrows(IllegalArgumentException.class, () -> writer.protect(TYPE, VERSION, 1, 0,
                new byte[Record.MAX_PLAINTEXT_LENGTH + 1], 0, Record.MAX_PLAINTEXT_LENGTH + 1));
    }

    @Test
    void branchFreeComparisons() {
        int[] values = {0, 1, 2, 15, 16, 255, 256, 257, 1 << 14, (1 << 30) - 1};
        for (int a : values) {
            assertEquals(a == 0 ? -1 : 0, CbcProtection.isZero(a), "isZero " + a);
            for (int b : values) {
                assertEquals(a < b ? -1 : 0, CbcProtection.lt(a, b), a + " < " + b);
                assertEquals(a >= b ? -1 : 0, CbcProtection.ge(a, b), a + " >= " + b);
            }
        }
    }

    // ---- independent construction from RFC 5246 6.2.3.2 and RFC 7366 3 ----

    /**
     * Builds a record with {@code padValue} (the padding_length byte; padValue + 1 bytes of
     * padding). If {@code corrupt >= 0}, that padding byte is wrong, while the MAC stays valid.
     */
    private static byte[] independentSeal(BulkCipher bulk, Keys k, boolean etm, int epoch, long seq,
            byte[] plain, int padValue, int corrupt, Random rnd) throws Exception {
        byte[] iv = new byte[16];
        rnd.nextBytes(iv);
        byte[] padding = new byte[padValue + 1];
        Arrays.fill(padding, (byte) padValue);
        if (corrupt >= 0) {
            padding[corrupt] ^= 0x01;
        }
        if (!etm) {
            byte[] mac = independentMac(bulk, k, epoch, seq, plain.length, plain);
            return concat(iv, aesCbc(k.enc, iv, concat(concat(plain, mac), padding)));
        }
        byte[] ivAndCiphertext = concat(iv, aesCbc(k.enc, iv, concat(plain, padding)));
        return concat(ivAndCiphertext, independentMac(bulk, k, epoch, seq, ivAndCiphertext.length, ivAndCiphertext));
    }

    private static byte[] independentOpen(BulkCipher bulk, Keys k, boolean etm, int epoch, long seq,
            byte[] fragment) throws Exception {
        byte[] iv = Arrays.copyOf(fragment, 16);
        int macLen = bulk.macLength;
        if (etm) {
            byte[] authed = Arrays.copyOf(fragment, fragment.length - macLen);
            assertArrayEquals(independentMac(bulk, k, epoch, seq, authed.length, authed),
                    Arrays.copyOfRange(fragment, authed.length, fragment.length), "RFC 7366 MAC");
            byte[] p = aesCbcDecrypt(k.enc, iv, Arrays.copyOfRange(authed, 16, authed.length));
            return stripPadding(p);
        }
        byte[] p = stripPadding(aesCbcDecrypt(k.enc, iv, Arrays.copyOfRange(fragment, 16, fragment.length)));
        byte[] plain = Arrays.copyOf(p, p.length - macLen);
        assertArrayEquals(independentMac(bulk, k, epoch, seq, plain.length, plain),
                Arrays.copyOfRange(p, plain.length, p.length), "RFC 5246 MAC");
        return plain;
    }

    private static byte[] stripPadding(byte[] p) {
        int pad = p[p.length - 1] & 0xff;
        for (int i = p.length - 1 - pad; i < p.length; i++) {
            assertEquals(pad, p[i] & 0xff, "padding byte " + i);
        }
        return Arrays.copyOf(p, p.length - pad - 1);
    }

    /** HMAC(MAC_write_key, seq_num + type + version + length + data), seq_num = epoch||seq. */
    private static byte[] independentMac(BulkCipher bulk, Keys k, int epoch, long seq, int length, byte[] data)
            throws Exception {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write(epoch >>> 8);
        h.write(epoch);
        for (int i = 5; i >= 0; i--) {
            h.write((int) (seq >>> (8 * i)));
        }
        h.write(TYPE);
        h.write(VERSION >>> 8);
        h.write(VERSION);
        h.write(length >>> 8);
        h.write(length);
        h.write(data);
        Mac mac = Mac.getInstance(bulk.macAlgorithm);
        mac.init(new SecretKeySpec(k.mac, bulk.macAlgorithm));
        return mac.doFinal(h.toByteArray());
    }

    private static byte[] aesCbc(byte[] key, byte[] iv, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return c.doFinal(data);
    }

    private static byte[] aesCbcDecrypt(byte[] key, byte[] iv, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return c.doFinal(data);
    }

    private static int minimalPadValue(BulkCipher bulk, boolean etm, int len) {
        int toPad = etm ? len : len + bulk.macLength;
        return 15 - toPad % 16;
    }

    private static int roundUp(int n) {
        return (n + 15) / 16 * 16;
    }

    private static int[] lengths() {
        int[] l = new int[80];
        for (int i = 0; i < 70; i++) {
            l[i] = i;
        }
        int[] big = {255, 256, 257, 1000, 1400, 4096, 8191, 16383, 16384, 12345};
        System.arraycopy(big, 0, l, 70, big.length);
        return l;
    }

    private static Record record(int epoch, long seq, byte[] fragment) {
        return new Record(TYPE, VERSION, epoch, seq, fragment);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Keys keys(BulkCipher bulk, Random rnd) {
        byte[] enc = new byte[bulk.keyLength];
        byte[] mac = new byte[bulk.macLength];
        rnd.nextBytes(enc);
        rnd.nextBytes(mac);
        return new Keys(bulk, enc, mac);
    }

    private record Keys(BulkCipher bulk, byte[] enc, byte[] mac) {
        RecordProtection writer(boolean etm) {
            return CbcProtection.forWriting(bulk, enc, mac, etm, new SecureRandom());
        }

        RecordProtection reader(boolean etm) {
            return CbcProtection.forReading(bulk, enc, mac, etm);
        }
    }
}

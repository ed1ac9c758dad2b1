package org.dtlsip.dtls.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.security.SecureRandom;
import java.util.Arrays;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.CipherSuite.CipherType;
import org.dtlsip.dtls.crypto.KeyBlock;
import org.dtlsip.dtls.crypto.KeySchedule;
import org.junit.jupiter.api.Test;

class RecordProtectionsTest {
    private static final int TYPE = ContentType.APPLICATION_DATA.code;
    private static final int VERSION = ProtocolVersion.DTLS_1_2;
    private static final byte[] PLAIN = {1, 2, 3, 4, 5, 6, 7};

    /** For every suite: what one side writes the other reads, and neither reads its own. */
    @Test
    void everySuiteConnectsClientAndServerDirections() {
        byte[] master = filled(48, 1);
        for (CipherSuite suite : CipherSuite.values()) {
            KeyBlock keys = KeySchedule.keyBlock(suite, master, filled(32, 2), filled(32, 3));
            for (boolean etm : new boolean[] {false, true}) {
                for (boolean client : new boolean[] {true, false}) {
                    RecordProtection w = RecordProtections.forWriting(suite, keys, client, etm, new SecureRandom());
                    RecordProtection peer = RecordProtections.forReading(suite, keys, !client, etm);
                    RecordProtection self = RecordProtections.forReading(suite, keys, client, etm);
                    Class<?> expected = suite.bulkCipher.type == CipherType.AEAD
                            ? AeadProtection.class : CbcProtection.class;
                    assertInstanceOf(expected, w);
                    byte[] fragment = w.protect(TYPE, VERSION, 1, 9, PLAIN, 0, PLAIN.length);
                    Record record = new Record(TYPE, VERSION, 1, 9, fragment);
                    String what = suite + " etm=" + etm + " client=" + client;
                    assertArrayEquals(PLAIN, peer.unprotect(record), what);
                    assertNull(self.unprotect(record), what);
                }
            }
        }
    }

    /**
     * The bulk send path's {@code protectRecordInto} writes, at any offset of a reused buffer, the
     * very record {@code protectRecord} returns (AEAD: deterministic for one sequence number), and
     * leaves the bytes around it alone; CBC (a fresh random IV per record) still reads back.
     */
    @Test
    void protectRecordIntoWritesTheSameRecordInPlace() {
        byte[] master = filled(48, 1);
        for (CipherSuite suite : CipherSuite.values()) {
            KeyBlock keys = KeySchedule.keyBlock(suite, master, filled(32, 2), filled(32, 3));
            RecordProtection a = RecordProtections.forWriting(suite, keys, true, false, new SecureRandom());
            RecordProtection b = RecordProtections.forWriting(suite, keys, true, false, new SecureRandom());
            RecordProtection peer = RecordProtections.forReading(suite, keys, false, false);
            byte[] out = filled(7 + Record.HEADER_LENGTH + PLAIN.length + a.overhead() + 3, 0x55);
            int n = b.protectRecordInto(TYPE, VERSION, 1, 9, PLAIN, 0, PLAIN.length, out, 7);
            for (int i = 0; i < 7; i++) {
                assertEquals(0x55, out[i] & 0xff, suite + ": nothing written before the offset");
            }
            for (int i = 7 + n; i < out.length; i++) {
                assertEquals(0x55, out[i] & 0xff, suite + ": nothing written after the record");
            }
            byte[] written = Arrays.copyOfRange(out, 7, 7 + n);
            if (suite.bulkCipher.type == CipherType.AEAD) {
                assertArrayEquals(a.protectRecord(TYPE, VERSION, 1, 9, PLAIN, 0, PLAIN.length), written, suite.toString());
            }
            Record record = RecordCodec.parse(written, 0, written.length).records().get(0);
            assertEquals(9, record.sequenceNumber());
            assertArrayEquals(PLAIN, peer.unprotect(record), suite.toString());
            assertThrows(IllegalArgumentException.class,
                    () -> b.protectRecordInto(TYPE, VERSION, 1, 10, PLAIN, 0, PLAIN.length, new byte[n - 1], 0),
                    suite + ": a buffer too small is refused");
        }
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }
}

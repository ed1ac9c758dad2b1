package org.dtlsip.dtls.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }
}

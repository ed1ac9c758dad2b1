package org.dtlsip.dtls.record;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 6347 4.1.2.6 sliding window. */
class ReplayWindowTest {
    @Test
    void acceptsEachSequenceNumberOnceInAnyOrderWithinTheWindow() {
        for (int seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            ReplayWindow window = new ReplayWindow();
            Set<Long> accepted = new HashSet<>();
            for (int i = 0; i < 2_000; i++) {
                long seq = Math.max(0, window.highest() + random.nextInt(80) - 60);
                if (!window.isReplay(seq)) {
                    assertTrue(accepted.add(seq), "sequence number " + seq + " accepted twice");
                    window.markReceived(seq);
                }
            }
        }
    }

    @Test
    void recordsOlderThanTheWindowAreRejected() {
        ReplayWindow window = new ReplayWindow();
        window.markReceived(100);
        assertFalse(window.isReplay(100 - ReplayWindow.WINDOW_SIZE + 1));
        assertTrue(window.isReplay(100 - ReplayWindow.WINDOW_SIZE));
        assertTrue(window.isReplay(100));
        assertFalse(window.isReplay(101));
    }

    @Test
    void checkingAForgedHugeSequenceNumberDoesNotMoveTheWindow() {
        // CVE-2016-2181: only authenticated records may advance the window.
        ReplayWindow window = new ReplayWindow();
        window.markReceived(5);
        assertFalse(window.isReplay((1L << 48) - 1));
        assertFalse(window.isReplay(6));
    }
}

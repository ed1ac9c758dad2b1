package org.dtlsip.dtls.record;

import static org.dtlsip.dtls.record.SequenceNumberReconstruction.reconstruct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** RFC 9147 4.2.2: the candidate closest to one past the highest authenticated record. */
class SequenceNumberReconstructionTest {
    private static final long MAX = RecordNumber.MAX_SEQUENCE_NUMBER;

    @Test
    void firstRecordsOfAnEpoch() {
        assertEquals(0, reconstruct(0, 0, 16));
        assertEquals(5, reconstruct(0, 5, 8));
        // Nothing below zero: 0xff stays 255 rather than becoming -1.
        assertEquals(255, reconstruct(0, 0xff, 8));
        assertEquals(0x8000, reconstruct(0, 0x8000, 16));
    }

    @Test
    void acrossTheWrapOfTheLowBits() {
        assertEquals(0x10004, reconstruct(0xfffe, 0x0004, 16));
        assertEquals(0x1fffe, reconstruct(0x20001, 0xfffe, 16));
        assertEquals(0x100, reconstruct(0xff, 0x00, 8));
        assertEquals(0x2ff, reconstruct(0x302, 0xff, 8));
    }

    @Test
    void reorderingUpToHalfTheWindowEachWay() {
        long expected = 0x12345678L;
        for (long actual = expected - 0x8000 + 1; actual <= expected + 0x7fff; actual += 97) {
            assertEquals(actual, reconstruct(expected, (int) (actual & 0xffff), 16));
        }
        for (long actual = expected - 127; actual <= expected + 127; actual++) {
            assertEquals(actual, reconstruct(expected, (int) (actual & 0xff), 8));
        }
    }

    @Test
    void neverAbove2To48Minus1() {
        assertEquals(MAX, reconstruct(MAX, 0xffff, 16));
        // Beyond the top the only representative below 2^48 is the one behind.
        assertEquals(MAX - 0xffff, reconstruct(MAX, 0x0000, 16));
        assertEquals(MAX - 0xff, reconstruct(MAX - 1, 0x00, 8));
    }

    @Test
    void onlyEightOrSixteenBits() {
        assertThrows(IllegalArgumentException.class, () -> reconstruct(0, 0, 12));
    }
}

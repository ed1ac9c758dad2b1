package org.dtlsip.media.srtp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** RFC 3711 3.3.2 replay list: the window's edges and a jump larger than the window. */
class SrtpReplayWindowTest {
    @Test
    void edgesOfTheWindow() throws Exception {
        SrtpReplayWindow w = new SrtpReplayWindow();
        w.check(5);
        w.accept(5);
        w.accept(5 + SrtpReplayWindow.WINDOW_SIZE - 1);
        assertDoesNotThrow(() -> w.check(6), "63 behind: inside, not yet seen");
        assertEquals(SrtpException.Reason.REPLAYED, assertThrows(SrtpException.class, () -> w.check(5)).reason());
        w.accept(5 + SrtpReplayWindow.WINDOW_SIZE);
        assertEquals(SrtpException.Reason.TOO_OLD, assertThrows(SrtpException.class, () -> w.check(5)).reason());
        w.accept(1_000_000);
        assertDoesNotThrow(() -> w.check(999_999), "a jump clears the bitmap");
        assertEquals(SrtpException.Reason.REPLAYED, assertThrows(SrtpException.class, () -> w.check(1_000_000)).reason());
    }

    @Test
    void indexEstimateFollowsAppendixA() {
        assertEquals(7, PacketIndex.estimate(-1, 7));
        assertEquals(0x10000, PacketIndex.estimate(0xFFF0, 0), "just after a wrap: ROC + 1");
        assertEquals(0xFFF0, PacketIndex.estimate(0x10005, 0xFFF0), "just before it: ROC - 1");
        assertEquals(-1, PacketIndex.estimate(5, 0xFFF0), "before ROC 0 there is nothing");
        assertEquals(0x20010, PacketIndex.estimate(0x20005, 0x10));
    }
}

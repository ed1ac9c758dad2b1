package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReceivePacingTest {
    private static final int LIMIT = ServerLoop.RECEIVE_BATCH;

    @Test
    void aQuietSocketIsWaitedOnWithTheSelector() {
        for (int received = 0; received < ReceivePacing.BUSY_DATAGRAMS; received++) {
            assertEquals(ReceivePacing.Wait.SELECT, ReceivePacing.next(received, 1_000), "after " + received);
        }
    }

    @Test
    void aBusySocketPausesOffTheWaitQueue() {
        for (int received : new int[] {ReceivePacing.BUSY_DATAGRAMS, 5, ReceivePacing.SATURATED_DATAGRAMS - 1}) {
            assertEquals(ReceivePacing.Wait.PAUSE, ReceivePacing.next(received, 1_000), "after " + received);
        }
    }

    @Test
    void aSaturatedSocketIsDrainedAgainAtOnceSoASmallReceiveBufferDoesNotOverflow() {
        for (int received : new int[] {ReceivePacing.SATURATED_DATAGRAMS, 100, LIMIT - 1}) {
            assertEquals(ReceivePacing.Wait.NONE, ReceivePacing.next(received, 1_000), "after " + received);
        }
    }

    @Test
    void aRoundThatStoppedAtItsLimitCountsAsSaturated() {
        assertTrue(ReceivePacing.SATURATED_DATAGRAMS <= LIMIT, "saturation must be reachable within one round");
    }

    @Test
    void aFullRoundOrADueTimerGoesOnAtOnce() {
        assertEquals(ReceivePacing.Wait.NONE, ReceivePacing.next(LIMIT, 1_000));
        assertEquals(ReceivePacing.Wait.NONE, ReceivePacing.next(0, 0));
        assertEquals(ReceivePacing.Wait.NONE, ReceivePacing.next(10, -5));
    }
}

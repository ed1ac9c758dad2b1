package org.dtlsip.dtls.io;

/**
 * How a {@link ServerLoop} waits before its next round of receiving, from what the last round
 * found. An idle or lightly used socket is waited on with the selector, which costs nothing
 * until a datagram arrives. A busy one is not: each time the loop sleeps in the selector, the
 * next datagram's sender pays for waking it (on loopback inside its own send call), and at
 * 150,000 datagrams a second the loop was woken 27,000 times a second, about five datagrams
 * per wake-up (docs/BENCHMARKS.md, issue 17). So after a round that found several datagrams the
 * loop pauses briefly instead, off the socket's wait queue, and lets them gather in the socket's
 * buffer; the first round that finds few goes back to the selector. A round that found many
 * means the socket is filling faster than the loop drains it: pausing then would only risk
 * overflowing a receive buffer the kernel capped below what {@link DtlsServer} asked for
 * ({@code net.core.rmem_max}), so the loop receives again at once (review of issue 17).
 */
final class ReceivePacing {
    /** A round that found at least this many datagrams means the socket is busy. */
    static final int BUSY_DATAGRAMS = 4;
    /**
     * A round that found at least this many datagrams means the socket is saturated: no pause.
     * A stock Linux receive buffer (212,992 bytes) holds about 90 datagrams of 1,200 bytes in
     * kernel accounting (about 2.3 KB each); 64 leaves a third of it as margin. Below
     * {@link ServerLoop#RECEIVE_BATCH}, so a round that stopped at its limit is saturated too.
     */
    static final int SATURATED_DATAGRAMS = 64;
    /**
     * The pause while busy (Linux adds up to its 50 µs timer slack). Bounded so that the
     * datagrams it lets gather stay far below a default receive buffer (about 90 datagrams of
     * 1,200 bytes) at loopback rates, and so that a timer or a stop waits at most this long
     * more; measured with 20, 50 and 200 µs alike (docs/BENCHMARKS.md).
     */
    static final long BUSY_PAUSE_NANOS = 50_000;

    /** What to do before the next round. */
    enum Wait {
        /** Receive again at once: the last round was saturated, or a timer is due. */
        NONE,
        /** Busy: sleep {@link #BUSY_PAUSE_NANOS} without waiting on the socket. */
        PAUSE,
        /** Wait on the selector until a datagram arrives or the next timer is due. */
        SELECT
    }

    private ReceivePacing() {
    }

    /**
     * @param receivedLastRound datagrams the last round handled
     * @param millisToNextTimer time until the earliest timer, zero or less when one is due
     */
    static Wait next(int receivedLastRound, long millisToNextTimer) {
        if (receivedLastRound >= SATURATED_DATAGRAMS || millisToNextTimer <= 0) {
            return Wait.NONE;
        }
        return receivedLastRound >= BUSY_DATAGRAMS ? Wait.PAUSE : Wait.SELECT;
    }
}

package org.dtlsip.dtls.io;

import java.util.PriorityQueue;

/**
 * The server's timers (retransmission, handshake deadline, idle timeout) in one priority queue
 * keyed by deadline, O(log n) per timer rather than a scan of the table. Invalidation is lazy:
 * an association keeps only its earliest wake ({@code scheduledWake}); an entry that no longer
 * matches it, or whose association is gone, is stale and skipped when it comes up. Stale
 * entries are counted, and when they outnumber the live ones by {@link #PURGE_SLACK} the queue
 * drops them all at once (O(n), amortized O(1) per entry): otherwise associations that failed
 * or were replaced in a flood would stay referenced, engines and all, until their deadlines
 * (up to the idle timeout) passed. So the queue holds at most twice the live associations
 * plus {@code 2 * PURGE_SLACK} entries.
 */
final class TimerQueue {
    /** Stale entries tolerated beyond the live ones before a purge. */
    static final int PURGE_SLACK = 64;

    private record Wake(long time, DtlsServer.Association association) implements Comparable<Wake> {
        @Override
        public int compareTo(Wake o) {
            return Long.compare(time, o.time);
        }

        boolean stale() {
            return association.removed || association.scheduledWake != time;
        }
    }

    private final PriorityQueue<Wake> wakes = new PriorityQueue<>();
    private int stale;

    /** Wakes {@code a} at {@code time} unless it already wakes earlier (the later time is found when that fires). */
    void schedule(DtlsServer.Association a, long time) {
        if (time < a.scheduledWake) {
            if (a.scheduledWake != Long.MAX_VALUE) {
                stale++; // its earlier entry no longer matches
            }
            a.scheduledWake = time;
            wakes.add(new Wake(time, a));
            purgeIfMostlyStale();
        }
    }

    /** {@code a} left the table: its entry, if any, is stale now. */
    void forget(DtlsServer.Association a) {
        if (a.scheduledWake != Long.MAX_VALUE) {
            a.scheduledWake = Long.MAX_VALUE;
            stale++;
            purgeIfMostlyStale();
        }
    }

    /** The next association whose wake is due at {@code now}, taken off the queue; {@code null} when none is. */
    DtlsServer.Association pollDue(long now) {
        Wake w;
        while ((w = wakes.peek()) != null && w.time() <= now) {
            wakes.poll();
            if (w.stale()) {
                stale--;
                continue;
            }
            DtlsServer.Association a = w.association();
            a.scheduledWake = Long.MAX_VALUE;
            return a;
        }
        return null;
    }

    private void purgeIfMostlyStale() {
        if (stale > wakes.size() - stale + PURGE_SLACK) {
            wakes.removeIf(Wake::stale);
            stale = 0;
        }
    }

    /** The earliest wake, or {@link Long#MAX_VALUE}. */
    long next() {
        Wake w = wakes.peek();
        return w == null ? Long.MAX_VALUE : w.time();
    }

    /** Entries, live and stale. */
    int size() {
        return wakes.size();
    }

    void clear() {
        wakes.clear();
        stale = 0;
    }
}

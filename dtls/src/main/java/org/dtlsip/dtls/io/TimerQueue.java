package org.dtlsip.dtls.io;

import java.util.PriorityQueue;

/**
 * The server's timers (retransmission, handshake deadline, idle timeout) in one priority queue
 * keyed by deadline, O(log n) per timer rather than a scan of the table. Invalidation is lazy:
 * an association keeps only its earliest wake ({@code scheduledWake}); an entry that no longer
 * matches it, or whose association is gone, is skipped when it comes up. So the queue holds at
 * most a small multiple of the associations.
 */
final class TimerQueue {
    private record Wake(long time, DtlsServer.Association association) implements Comparable<Wake> {
        @Override
        public int compareTo(Wake o) {
            return Long.compare(time, o.time);
        }
    }

    private final PriorityQueue<Wake> wakes = new PriorityQueue<>();

    /** Wakes {@code a} at {@code time} unless it already wakes earlier (the later time is found when that fires). */
    void schedule(DtlsServer.Association a, long time) {
        if (time < a.scheduledWake) {
            a.scheduledWake = time;
            wakes.add(new Wake(time, a));
        }
    }

    /** The next association whose wake is due at {@code now}, taken off the queue; {@code null} when none is. */
    DtlsServer.Association pollDue(long now) {
        Wake w;
        while ((w = wakes.peek()) != null && w.time() <= now) {
            wakes.poll();
            DtlsServer.Association a = w.association();
            if (!a.removed && a.scheduledWake == w.time()) {
                a.scheduledWake = Long.MAX_VALUE;
                return a;
            }
        }
        return null;
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
    }
}

package org.dtlsip.media.rtp;

/**
 * What a receiver knows about one source (RFC 3550 appendix A): the extended highest sequence
 * number (A.1, simplified: no probation, the first packet starts the count), packets expected
 * and lost (A.3), packets that arrived after a later one ("late"), and interarrival jitter
 * (A.8). Not thread-safe; one instance per source, fed in arrival order.
 */
public final class ReceptionStats {
    /** RFC 3550 A.1: a jump larger than this is taken as a restart, not a sequence of losses. */
    public static final int MAX_DROPOUT = 3000;

    private final int clockRate;
    private boolean started;
    private long baseSequence;
    private long extendedMax;
    private long received;
    private long late;
    private double jitter;
    private long lastTransit;
    private long expectedPrior;
    private long receivedPrior;

    /** @param clockRate the payload's RTP clock, e.g. 8000 for PCMU */
    public ReceptionStats(int clockRate) {
        this.clockRate = clockRate;
    }

    /**
     * Counts one authenticated packet.
     *
     * @param arrivalNanos the arrival time on any monotonic clock
     */
    public void received(int sequenceNumber, long rtpTimestamp, long arrivalNanos) {
        long arrival = arrivalNanos * clockRate / 1_000_000_000L;
        if (!started) {
            started = true;
            baseSequence = sequenceNumber;
            extendedMax = sequenceNumber;
            received = 1;
            lastTransit = arrival - rtpTimestamp;
            return;
        }
        received++;
        // The extended sequence number nearest the highest so far (A.1: cycles counted on wrap).
        long cycles = extendedMax & ~0xFFFFL;
        long candidate = cycles | sequenceNumber;
        if (candidate - extendedMax > 0x8000) {
            candidate -= 0x10000;
        } else if (extendedMax - candidate > 0x8000) {
            candidate += 0x10000;
        }
        if (candidate > extendedMax) {
            if (candidate - extendedMax <= MAX_DROPOUT) {
                extendedMax = candidate;
            } else {
                // A restart: count from here (A.1 would wait for two in sequence).
                baseSequence = candidate - (received - 1);
                extendedMax = candidate;
            }
        } else {
            late++;
        }
        // A.8: J += (|D| - J) / 16, D the difference of relative transit times.
        long transit = arrival - rtpTimestamp;
        long d = Math.abs(transit - lastTransit);
        lastTransit = transit;
        jitter += (d - jitter) / 16.0;
    }

    public long received() {
        return received;
    }

    /** Packets expected: highest extended sequence number minus the first, plus one (A.3). */
    public long expected() {
        return started ? extendedMax - baseSequence + 1 : 0;
    }

    /** Expected minus received, never negative (duplicates can make the difference so). */
    public long lost() {
        return Math.max(0, expected() - received);
    }

    /** Packets that arrived after one with a higher sequence number. */
    public long late() {
        return late;
    }

    /** Interarrival jitter in timestamp units (A.8). */
    public long jitter() {
        return (long) jitter;
    }

    /** Interarrival jitter in milliseconds. */
    public double jitterMillis() {
        return jitter * 1000.0 / clockRate;
    }

    public long extendedHighestSequence() {
        return extendedMax;
    }

    /** A report block for this source, with the fraction lost since the previous block (A.3). */
    public ReportBlock reportBlock(long ssrc) {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long cumulative = expected - received;
        return new ReportBlock(ssrc, fraction, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, cumulative)),
                extendedMax & 0xFFFF_FFFFL, jitter() & 0xFFFF_FFFFL, 0, 0);
    }
}

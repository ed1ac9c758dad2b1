package org.dtlsip.dtls.engine;

import org.dtlsip.dtls.config.DtlsConfig;

/**
 * The flight retransmission timer of RFC 6347 4.2.4.1: starts at the initial value, multiplies
 * by the backoff factor (2 by default) on every expiry up to the maximum, and returns to the
 * initial value when a flight gets its answer. Times are absolute milliseconds from the
 * caller's clock.
 *
 * <p>With {@link DtlsConfig#adaptiveRetransmit()} the initial value is learned once from the
 * first flight that is answered without any retransmission (Karn's rule: a sample taken after a
 * retransmission cannot tell which copy was answered): it becomes
 * {@link DtlsConfig#ADAPTIVE_RTT_FACTOR} times that round trip, at least
 * {@link DtlsConfig#MIN_ADAPTIVE_RETRANSMIT_MILLIS} and never more than the configured initial
 * value (RFC 6347 4.2.4.1 allows an initial timer derived from a measured RTT).
 */
final class RetransmitTimer {
    static final long DISARMED = Long.MAX_VALUE;

    private final long maxMillis;
    private final double backoff;
    private final boolean adaptive;
    private long initialMillis;
    private long currentMillis;
    private long deadline = DISARMED;
    private long flightStartedAt = -1;
    private boolean sampleValid;
    private boolean learned;

    RetransmitTimer(long initialMillis, long maxMillis) {
        this(initialMillis, maxMillis, DtlsConfig.DEFAULT_RETRANSMIT_BACKOFF, false);
    }

    RetransmitTimer(long initialMillis, long maxMillis, double backoff, boolean adaptive) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.backoff = backoff;
        this.adaptive = adaptive;
        this.currentMillis = initialMillis;
    }

    /**
     * Arms for a newly sent flight, at the initial value (progress resets the backoff). The
     * flight it replaces got its answer: if it was sent only once, the time since is a round
     * trip, learned once with {@link DtlsConfig#adaptiveRetransmit()}.
     */
    void startNewFlight(long now) {
        if (adaptive && !learned && sampleValid && deadline != DISARMED) {
            long rtt = Math.max(0, now - flightStartedAt);
            initialMillis = Math.min(initialMillis,
                    Math.max(DtlsConfig.MIN_ADAPTIVE_RETRANSMIT_MILLIS, rtt * DtlsConfig.ADAPTIVE_RTT_FACTOR));
            learned = true;
        }
        arm(now);
        sampleValid = true;
    }

    /**
     * Re-arms after resending our flight because the peer repeated its own (RFC 6347 4.2.4).
     * That is a retransmission, so Karn's rule (RFC 6298 3, which RFC 6347 4.2.4.1 follows)
     * applies: neither this moment nor the answer to the resent flight is a round-trip sample,
     * since nobody can tell which copy was answered. Learning here let a duplicated peer flight
     * pin the timer at its minimum.
     */
    void restartAfterPeerRetransmission(long now) {
        sampleValid = false;
        arm(now);
    }

    private void arm(long now) {
        flightStartedAt = now;
        currentMillis = initialMillis;
        deadline = now + currentMillis;
    }

    /** After an expiry: multiplies the interval by the backoff factor (capped) and re-arms. */
    void backOff(long now) {
        sampleValid = false;
        currentMillis = Math.min((long) Math.ceil(currentMillis * backoff), maxMillis);
        deadline = now + currentMillis;
    }

    void disarm() {
        deadline = DISARMED;
    }

    boolean isArmed() {
        return deadline != DISARMED;
    }

    boolean expired(long now) {
        return now >= deadline;
    }

    long deadline() {
        return deadline;
    }

    long currentMillis() {
        return currentMillis;
    }

    /** The initial value in use: the configured one, or the learned one once adaptive has a sample. */
    long initialMillis() {
        return initialMillis;
    }
}

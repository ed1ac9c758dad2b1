package org.dtlsip.dtls.engine;

/**
 * The flight retransmission timer of RFC 6347 4.2.4.1: starts at the configured initial value,
 * doubles on every expiry up to the maximum, and returns to the initial value when a flight
 * gets its answer. Times are absolute milliseconds from the caller's clock.
 */
final class RetransmitTimer {
    static final long DISARMED = Long.MAX_VALUE;

    private final long initialMillis;
    private final long maxMillis;
    private long currentMillis;
    private long deadline = DISARMED;

    RetransmitTimer(long initialMillis, long maxMillis) {
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.currentMillis = initialMillis;
    }

    /** Arms for a newly sent flight, at the initial value (progress resets the backoff). */
    void startNewFlight(long now) {
        currentMillis = initialMillis;
        deadline = now + currentMillis;
    }

    /** After an expiry: doubles the interval (capped) and re-arms. */
    void backOff(long now) {
        currentMillis = Math.min(currentMillis * 2, maxMillis);
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
}

package org.dtlsip.dtls.engine;

import java.security.SecureRandom;
import java.util.Objects;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.record.ReturnRoutabilityCheck;
import org.dtlsip.dtls.record.ReturnRoutabilityCheck.MessageType;

/**
 * The initiator's side of the basic return routability check (RFC 9853 5.1, 5.3, 5.5) for
 * one association: which candidate path is being checked, the cookies sent to it, when to
 * send the next challenge or give up, and how many bytes the anti-amplification limit still
 * allows towards it. It decides; {@link DtlsEngine} protects and queues what it decides.
 *
 * <p>Bounds, each a constant: one path at a time (RFC 9853 5: nested rebindings are not
 * handled; a second candidate waits until the first is settled), at most
 * {@link #MAX_PATH_CHALLENGES} challenges per check, paced by the flight retransmission timer's
 * rules (the first after T, then doubling: RFC 9853 5.5's T is the engine's initial
 * retransmission timer, 1 s or, once learned, {@link DtlsConfig#ADAPTIVE_RTT_FACTOR} = 3
 * round trips), and never more than {@link #AMPLIFICATION_FACTOR} times the bytes received from
 * the path (RFC 9853 2 and 5). Paths are opaque tokens the caller chose (typically its
 * {@code InetSocketAddress}), compared with {@code equals}.
 */
final class PathValidator {
    /**
     * Challenges sent to one candidate before the check fails. Three, each with a fresh cookie
     * (RFC 9853 5.3), ride out the loss of two datagrams; with the doubling timer the check
     * fails after 7 T (7 s by default), when the peer has long sent more data and can be
     * checked again.
     */
    static final int MAX_PATH_CHALLENGES = 3;
    /** RFC 9853 2: "three times the amount of data received from an unvalidated address". */
    static final int AMPLIFICATION_FACTOR = 3;

    /** Path of the check in progress, {@code null} when none. */
    private Object pending;
    private final long[] cookies = new long[MAX_PATH_CHALLENGES];
    private int challenges;
    private final RetransmitTimer timer;
    /** The path whose bytes are counted for the anti-amplification limit; the pending one while a check runs. */
    private Object accountPath;
    private long bytesReceived;
    private long bytesSent;

    PathValidator(long initialMillis, DtlsConfig config) {
        this.timer = new RetransmitTimer(initialMillis, config.maxRetransmitMillis(), config.retransmitBackoff(), false);
    }

    /**
     * An authenticated datagram of {@code bytes} arrived from {@code path}: it raises the
     * anti-amplification limit towards that path (RFC 9853 2 counts what was not discarded).
     * While a check runs only the candidate's datagrams count; otherwise the account follows
     * the newest path seen, so that a challenge right after it can use it.
     */
    void credit(Object path, int bytes) {
        if (pending == null && !path.equals(accountPath)) {
            accountPath = path;
            bytesReceived = 0;
            bytesSent = 0;
        }
        if (path.equals(accountPath)) {
            bytesReceived += bytes;
        }
    }

    /** Starts checking {@code path} unless a check runs; {@code challengeBytes} is the size of one challenge record. */
    DtlsEngine.PathCheck start(Object path, int challengeBytes) {
        Objects.requireNonNull(path, "path");
        if (pending != null) {
            return pending.equals(path) ? DtlsEngine.PathCheck.PENDING : DtlsEngine.PathCheck.BUSY;
        }
        if (!path.equals(accountPath) || !withinAmplificationLimit(challengeBytes)) {
            return DtlsEngine.PathCheck.AMPLIFICATION_LIMIT;
        }
        pending = path;
        challenges = 0;
        return DtlsEngine.PathCheck.SENT;
    }

    private boolean withinAmplificationLimit(int challengeBytes) {
        return bytesSent + challengeBytes <= AMPLIFICATION_FACTOR * bytesReceived;
    }

    /** The next challenge for the pending path, with a fresh cookie (RFC 9853 5.3); arms the timer. */
    ReturnRoutabilityCheck nextChallenge(SecureRandom random, long now) {
        long cookie = random.nextLong();
        cookies[challenges++] = cookie;
        if (challenges == 1) {
            timer.startNewFlight(now);
        } else {
            timer.backOff(now);
        }
        return new ReturnRoutabilityCheck(MessageType.PATH_CHALLENGE, cookie);
    }

    /** A challenge of {@code bytes} went to the pending path: it counts against the anti-amplification limit. */
    void sent(int bytes) {
        bytesSent += bytes;
    }

    /** The candidate being checked, or {@code null}. */
    Object pending() {
        return pending;
    }

    long deadline() {
        return pending == null ? RetransmitTimer.DISARMED : timer.deadline();
    }

    /** Whether the timer ran out and another challenge may go (count and anti-amplification limit allow). */
    boolean mayRetry(int challengeBytes) {
        return challenges < MAX_PATH_CHALLENGES && withinAmplificationLimit(challengeBytes);
    }

    boolean expired(long now) {
        return pending != null && timer.expired(now);
    }

    /**
     * A path_response or path_drop: the path it settles when its cookie is one this check
     * sent, else {@code null} (unsolicited, stale or a second answer: RFC 9853 5.4 has it
     * silently discarded). A match ends the check either way.
     */
    Object answer(long cookie) {
        if (pending == null) {
            return null;
        }
        boolean match = false;
        for (int i = 0; i < challenges; i++) {
            // Compares every cookie, so timing says nothing about which one matched.
            match |= cookies[i] == cookie;
        }
        return match ? settle() : null;
    }

    /** Ends the check in progress (it succeeded, failed or was abandoned); returns its path. */
    Object settle() {
        Object path = pending;
        pending = null;
        challenges = 0;
        java.util.Arrays.fill(cookies, 0);
        timer.disarm();
        return path;
    }
}

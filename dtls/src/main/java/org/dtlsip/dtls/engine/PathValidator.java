package org.dtlsip.dtls.engine;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.record.ReturnRoutabilityCheck;
import org.dtlsip.dtls.record.ReturnRoutabilityCheck.MessageType;

/**
 * The initiator's side of the return routability check (RFC 9853 5.1-5.3, 5.5) for one
 * association: which candidate path is being checked, the cookies sent, when to send the next
 * challenge or give up, and how many bytes the anti-amplification limit still allows towards
 * the candidate. It decides; {@link DtlsEngine} protects and queues what it decides.
 *
 * <p>A check has up to two phases. With the enhanced check (RFC 9853 5.2,
 * {@link DtlsConfig#enhancedPathValidation()}) it first sends one challenge on the old path
 * (the peer's current address): a path_response there means the peer is still there and
 * prefers it, so the candidate was most likely an off-path attacker's copy (8.1.2) and nothing
 * moves; path_drop, or no answer within T, leads to the basic check. The basic check (5.1)
 * challenges the candidate; a path_response validates it.
 *
 * <p>Bounds, each a constant: one path at a time (RFC 9853 5: nested rebindings are not
 * handled; a second candidate waits until the first is settled), at most
 * {@link #MAX_PATH_CHALLENGES} challenges to the candidate, paced by the flight retransmission
 * timer's rules (the first after T, then doubling: RFC 9853 5.5's T is the engine's initial
 * retransmission timer, 1 s or, once learned, {@link DtlsConfig#ADAPTIVE_RTT_FACTOR} = 3 round
 * trips), and never more than {@link #AMPLIFICATION_FACTOR} times the bytes received from the
 * candidate (RFC 9853 2 and 5). Paths are opaque tokens the caller chose (typically its
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

    /** Where the challenges of the check in progress go. */
    enum Phase {
        /** RFC 9853 5.2 step 2: one challenge to the peer's current address. */
        OLD_PATH,
        /** RFC 9853 5.1 step 2: challenges to the candidate. */
        CANDIDATE
    }

    /** What an answer whose cookie matched means for the check. */
    enum Outcome {
        /** path_response from the candidate's check: move (5.1 step 4). */
        VALIDATED,
        /** path_drop from the candidate's check: the peer does not want that path; stay. */
        REFUSED,
        /** path_response on the old path: the peer is still there and prefers it; stay (5.2 step 4). */
        OLD_PATH_PREFERRED,
        /** path_drop on the old path: check the candidate now (5.2 step 4). */
        OLD_PATH_DROPPED
    }

    private final boolean enhanced;
    private final RetransmitTimer timer;
    /** Path of the check in progress, {@code null} when none. */
    private Object pending;
    private Phase phase;
    private final long[] cookies = new long[MAX_PATH_CHALLENGES];
    /** Challenges sent in the current phase. */
    private int challenges;
    /** The path whose bytes are counted for the anti-amplification limit; the pending one while a check runs. */
    private Object accountPath;
    private long bytesReceived;
    private long bytesSent;

    PathValidator(long initialMillis, DtlsConfig config) {
        this.enhanced = config.enhancedPathValidation();
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
        // Checked in both modes: the candidate must have sent something that authenticated, or
        // the enhanced check's fallback could never reach it.
        if (!path.equals(accountPath) || !withinAmplificationLimit(challengeBytes)) {
            return DtlsEngine.PathCheck.AMPLIFICATION_LIMIT;
        }
        pending = path;
        phase = enhanced ? Phase.OLD_PATH : Phase.CANDIDATE;
        challenges = 0;
        return DtlsEngine.PathCheck.SENT;
    }

    private boolean withinAmplificationLimit(int challengeBytes) {
        return bytesSent + challengeBytes <= AMPLIFICATION_FACTOR * bytesReceived;
    }

    /**
     * The next challenge of the current phase, with a fresh cookie (RFC 9853 5.3); arms the
     * timer: T for the first of a phase, then doubling.
     */
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

    /** A challenge of {@code bytes} went to the candidate: it counts against the anti-amplification limit. */
    void sent(int bytes) {
        bytesSent += bytes;
    }

    /** The candidate being checked, or {@code null}. */
    Object pending() {
        return pending;
    }

    Phase phase() {
        return phase;
    }

    long deadline() {
        return pending == null ? RetransmitTimer.DISARMED : timer.deadline();
    }

    boolean expired(long now) {
        return pending != null && timer.expired(now);
    }

    /**
     * Whether another challenge may go to the candidate now: always the first after the old
     * path's phase (within the anti-amplification limit), then up to {@link #MAX_PATH_CHALLENGES}.
     */
    boolean mayChallengeCandidate(int challengeBytes) {
        int sentToCandidate = phase == Phase.CANDIDATE ? challenges : 0;
        return sentToCandidate < MAX_PATH_CHALLENGES && withinAmplificationLimit(challengeBytes);
    }

    /** Moves on from the old path (no answer within T, or path_drop) to challenging the candidate (RFC 9853 5.2 steps 4-5). */
    void toCandidate() {
        phase = Phase.CANDIDATE;
        challenges = 0;
        Arrays.fill(cookies, 0);
        timer.disarm();
    }

    /**
     * A path_response or path_drop: what it means when its cookie is one this phase sent, else
     * {@code null} (unsolicited, stale or a second answer: RFC 9853 5.4 has it silently
     * discarded). The check ends unless the old path dropped.
     */
    Outcome answer(MessageType type, long cookie) {
        if (pending == null) {
            return null;
        }
        boolean match = false;
        for (int i = 0; i < challenges; i++) {
            // Compares every cookie, so timing says nothing about which one matched.
            match |= cookies[i] == cookie;
        }
        if (!match) {
            return null;
        }
        boolean response = type == MessageType.PATH_RESPONSE;
        if (phase == Phase.OLD_PATH) {
            return response ? Outcome.OLD_PATH_PREFERRED : Outcome.OLD_PATH_DROPPED;
        }
        return response ? Outcome.VALIDATED : Outcome.REFUSED;
    }

    /** Ends the check in progress (it succeeded, failed or was abandoned); returns its path. */
    Object settle() {
        Object path = pending;
        pending = null;
        phase = null;
        challenges = 0;
        Arrays.fill(cookies, 0);
        timer.disarm();
        return path;
    }
}

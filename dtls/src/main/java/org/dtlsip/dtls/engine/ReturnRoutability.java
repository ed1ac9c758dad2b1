package org.dtlsip.dtls.engine;

import java.util.ArrayDeque;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.ReturnRoutabilityCheck;
import org.dtlsip.dtls.record.ReturnRoutabilityCheck.MessageType;
import org.dtlsip.dtls.util.DecodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The return routability check subprotocol (RFC 9853) of one association once both hellos
 * agreed on rrc: answers the peer's challenges, runs our own checks through
 * {@link PathValidator}, and queues datagrams for paths other than the peer's address. The
 * {@link DtlsEngine} owns the record layer; this class asks it to protect a message
 * ({@link DtlsEngine#rrcRecord(byte[])}), to send to the peer's address, to report an event
 * or to count a drop.
 */
final class ReturnRoutability {
    private static final Logger log = LoggerFactory.getLogger(ReturnRoutability.class);
    private static final int INITIAL_QUEUE_CAPACITY = 2;

    private final DtlsEngine engine;
    private final DtlsConfig config;
    private final PathValidator validator;
    /** Datagrams for a path other than the peer's address; created at the first. */
    private ArrayDeque<DtlsEngine.PathDatagram> pathOutbound;
    /** The caller's token for the source of the datagram being processed; {@code null}: the peer's address. */
    private Object datagramPath;
    /** The path a path_response in the datagram being processed validated, else {@code null}. */
    private Object datagramValidatedPath;
    private long challengesSent;
    private long responsesSent;
    private long validated;
    private long failed;

    /**
     * @param initialMillis RFC 9853 5.5's T: 3 round trips when the RTT is known, else 1 s,
     *     which is what the flight timer's initial value is (learned with adaptiveRetransmit,
     *     else the configured 1 s)
     */
    ReturnRoutability(DtlsEngine engine, DtlsConfig config, long initialMillis) {
        this.engine = engine;
        this.config = config;
        this.validator = new PathValidator(initialMillis, config);
    }

    // ---------------------------------------------------------------- per datagram

    /** A datagram from {@code path} is about to be processed. */
    void beginDatagram(Object path) {
        datagramPath = path;
        datagramValidatedPath = null;
    }

    /** The datagram of {@code length} bytes is processed; if anything in it authenticated, it raises {@code path}'s limit. */
    void endDatagram(Object path, int length, boolean authenticated) {
        if (path != null && authenticated) {
            validator.credit(path, length);
        }
    }

    // ---------------------------------------------------------------- our checks

    /** See {@link DtlsEngine#challengePath}; the engine checked that it is established. */
    DtlsEngine.PathCheck challenge(Object path, long now) {
        if (path.equals(datagramValidatedPath)) {
            return DtlsEngine.PathCheck.VALIDATED;
        }
        DtlsEngine.PathCheck check = validator.start(path, engine.rrcRecordBytes());
        if (check == DtlsEngine.PathCheck.SENT) {
            sendChallenge(now);
        }
        return check;
    }

    Object pending() {
        return validator.pending();
    }

    long deadline() {
        return validator.deadline();
    }

    /**
     * The timer ran out: on the old path, the candidate is checked next (RFC 9853 5.2 step 5);
     * on the candidate, another challenge if the count and the anti-amplification limit allow,
     * else the check fails (5.1 step 5).
     */
    void onTimeout(long now) {
        if (!validator.expired(now)) {
            return;
        }
        if (validator.phase() == PathValidator.Phase.OLD_PATH) {
            log.debug("no answer on the old path; checking {} (RFC 9853 5.2 step 5)", validator.pending());
            validator.toCandidate();
        } else {
            log.debug("no path_response from {}; challenging again", validator.pending());
        }
        challengeCandidateOrFail(now);
    }

    private void challengeCandidateOrFail(long now) {
        if (validator.mayChallengeCandidate(engine.rrcRecordBytes())) {
            sendChallenge(now);
            return;
        }
        Object path = validator.settle();
        failed++;
        log.debug("path {} not validated: no path_response (RFC 9853 5.1 step 5)", path);
        engine.report(EngineEvent.pathValidationFailed(path));
    }

    /**
     * Sends the next challenge of the check in progress: to the peer's current address in the
     * enhanced check's first phase (RFC 9853 5.2 step 2), else to the candidate (5.1 step 2),
     * where it counts against the anti-amplification limit.
     */
    private void sendChallenge(long now) {
        boolean toCandidate = validator.phase() == PathValidator.Phase.CANDIDATE;
        byte[] record = engine.rrcRecord(validator.nextChallenge(config.random(), now).encode());
        if (record == null) {
            return;
        }
        challengesSent++;
        if (toCandidate) {
            validator.sent(record.length);
            queue(validator.pending(), record);
        } else {
            engine.toPeer(record);
        }
    }

    /** The association ends: a check in progress ends with it, without an event. */
    void end() {
        validator.settle();
    }

    // ---------------------------------------------------------------- the peer's messages

    /**
     * One return_routability_check record's plaintext, established and in the current epoch
     * (the acceptance table saw to it). RFC 9853 4: the three known types are read, any other
     * is ignored; 5.4: a challenge is answered at once, exactly once (the replay window saw to
     * "once"), towards the path it came from.
     */
    void onMessage(byte[] plaintext, long now) {
        if (plaintext.length > 0 && !ReturnRoutabilityCheck.knownType(plaintext)) {
            engine.drop(DropReason.UNKNOWN_RRC_MESSAGE_TYPE);
            return;
        }
        ReturnRoutabilityCheck message;
        try {
            message = ReturnRoutabilityCheck.decode(plaintext);
        } catch (DecodeException e) {
            engine.drop(DropReason.MALFORMED_RRC_MESSAGE);
            return;
        }
        switch (message.type()) {
            case PATH_CHALLENGE -> {
                // We never move on our own, so the path a challenge arrives on is never one we
                // gave up: the answer is always path_response, never path_drop (RFC 9853 5.2 step 3).
                byte[] record = engine.rrcRecord(message.answer(MessageType.PATH_RESPONSE).encode());
                if (record != null) {
                    responsesSent++;
                    queue(datagramPath, record);
                }
            }
            case PATH_RESPONSE, PATH_DROP -> onAnswer(message, now);
        }
    }

    /** A path_response or path_drop: RFC 9853 5.1 step 4, 5.2 step 4; one that answers nothing is dropped (5.4). */
    private void onAnswer(ReturnRoutabilityCheck message, long now) {
        PathValidator.Outcome outcome = validator.answer(message.type(), message.cookie());
        if (outcome == null) {
            engine.drop(DropReason.UNMATCHED_PATH_RESPONSE);
            return;
        }
        switch (outcome) {
            case VALIDATED -> {
                Object path = validator.settle();
                validated++;
                datagramValidatedPath = path;
                log.debug("path {} validated (RFC 9853 5.1 step 4)", path);
                engine.report(EngineEvent.pathValidated(path));
            }
            case REFUSED, OLD_PATH_PREFERRED -> {
                // path_drop for the candidate: the peer does not want it. path_response on the
                // old path: the peer is still there and prefers it, so the candidate was most
                // likely an off-path attacker's copy (8.1.2). Either way it stays.
                Object path = validator.settle();
                failed++;
                log.debug("path {} not taken: {}", path, outcome == PathValidator.Outcome.REFUSED
                        ? "the peer answered path_drop" : "the peer answered on its current path (RFC 9853 5.2 step 4)");
                engine.report(EngineEvent.pathValidationFailed(path));
            }
            case OLD_PATH_DROPPED -> {
                log.debug("the peer dropped its old path; checking {} (RFC 9853 5.2 step 4)", validator.pending());
                validator.toCandidate();
                challengeCandidateOrFail(now);
            }
        }
    }

    // ---------------------------------------------------------------- output

    private void queue(Object path, byte[] datagram) {
        if (path == null) {
            engine.toPeer(datagram);
            return;
        }
        if (pathOutbound == null) {
            pathOutbound = new ArrayDeque<>(INITIAL_QUEUE_CAPACITY);
        }
        pathOutbound.add(new DtlsEngine.PathDatagram(path, datagram));
    }

    /** See {@link DtlsEngine#pollPathDatagram()}. */
    DtlsEngine.PathDatagram poll() {
        return pathOutbound == null ? null : pathOutbound.poll();
    }

    DtlsEngine.PathValidationCounts counts() {
        return new DtlsEngine.PathValidationCounts(challengesSent, responsesSent, validated, failed);
    }
}

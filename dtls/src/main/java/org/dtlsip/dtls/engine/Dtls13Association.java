package org.dtlsip.dtls.engine;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.crypto.Tls13Hkdf;
import org.dtlsip.dtls.crypto.TrafficKeys;
import org.dtlsip.dtls.handshake.Ack;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.Reassembler;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.Dtls13Record;
import org.dtlsip.dtls.record.Dtls13RecordCodec;
import org.dtlsip.dtls.record.Dtls13RecordLayer;
import org.dtlsip.dtls.record.Dtls13RecordProtection;
import org.dtlsip.dtls.record.EpochRelation;
import org.dtlsip.dtls.record.RecordNumber;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.DecodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DTLS 1.3 half of a {@link DtlsEngine}: once the hellos chose DTLS 1.3, the engine hands
 * every input to this object, which owns the RFC 9147 record layer, the reliability of flights
 * by ACK (RFC 9147 7) and the retransmission timer (5.8), and runs one typed
 * {@link State} at a time (the client's and server's states live in {@link Tls13Client} and
 * {@link Tls13Server}). It shares the engine's output queues, its {@link Reassembler} (message_seq
 * continues across the switch, RFC 9147 5.2) and its limits.
 *
 * <p>Each record is deprotected first (its epoch is known only then, RFC 9147 4.2.2), then the
 * current state's {@link Acceptance} table decides from (epoch relation, content type), and for
 * handshake messages from the type, before any body is parsed.
 */
final class Dtls13Association {
    private static final Logger log = LoggerFactory.getLogger(Dtls13Association.class);

    /** One state of a DTLS 1.3 handshake: what it accepts and what a message it accepts leads to. */
    interface State {
        /** The table consulted before any record or message body is read. */
        Acceptance acceptance();

        /** Processes a message of a type {@link #acceptance()} accepts; returns the next state. */
        State onMessage(HandshakeMessage message, long now);

        /** For logs and failures. */
        String name();
    }

    private final DtlsConfig config;
    /** {@link DtlsConfig#messageTrace()}: {@code null} unless a program asked to see every record. */
    private final MessageTrace trace;
    private final boolean client;
    private final Dtls13RecordLayer records = new Dtls13RecordLayer();
    private final Reassembler reassembler;
    private final RetransmitTimer timer;
    private final ArrayDeque<byte[]> outbound;
    private final ArrayDeque<byte[]> inboundApplicationData;
    private final ArrayDeque<EngineEvent> events;
    private State state;
    private int nextSendSeq;
    /** Whether the end of message_seq was reported (once per association). */
    private boolean messageSeqExhaustedLogged;
    private int lastPeerSeq;
    /** The newest read epoch, and the one before it (-1: none). */
    private long readEpoch;
    private long previousReadEpoch = -1;
    /** The epoch application data and alerts are written in. */
    private long writeEpoch;
    private Dtls13Flight flight;
    /** When a flight answered only by an ACK stops being retransmitted. */
    private long flightDeadline = Long.MAX_VALUE;
    private final Dtls13Acks acks = new Dtls13Acks();
    private long lastPeerTriggeredRetransmit = Long.MIN_VALUE;
    /** The time of the latest input, for work an ACK triggers. */
    private long lastNow;
    private final long handshakeDeadline;
    private DtlsEngine.Status status = DtlsEngine.Status.HANDSHAKING;
    private DtlsSession session;
    private DtlsException failure;
    private int pmtu;
    /**
     * Application payloads up to this size may leave in a record above the PMTU, IP-fragmented
     * ({@link DtlsEngine#allowIpFragmentation}); 0: records fit the PMTU. RFC 9147 4.4 lets
     * the application ask for that, as RFC 6347 4.1.1 did.
     */
    private int fragmentedRecordLimit;
    private long retransmissions;
    private boolean closeNotifySent;
    private boolean closeNotifyReceived;
    private EnumMap<DropReason, Long> drops;
    /** The application traffic secrets once the handshake is complete, and where a KeyUpdate stands. */
    private Dtls13KeyUpdate keyUpdate;
    /** The read epoch for which forgeries made us ask the peer for new keys (RFC 9147 4.5.3); -1: none. */
    private long keyUpdateRequestedForEpoch = -1;

    /**
     * The connection ID we receive on (RFC 9147 9), chosen before the hellos; records carry it
     * only once the hellos agreed on it ({@link #useConnectionIds}), but its length is what
     * parsing needs from the first datagram on: a datagram may hold the ServerHello and, after
     * it, records that already carry our ID.
     */
    private final byte[] localConnectionId;
    /** The ID we put in records to the peer, once agreed; {@code null} when connection IDs were not agreed. */
    private byte[] peerConnectionId;
    /** epoch and sequence number of the newest protected record that authenticated (RFC 9146 6); epoch -1 before any. */
    private long newestEpoch = -1;
    private long newestSequence = -1;
    /** Per datagram: the newest record carrying our connection ID that authenticated, and whether it was newest overall. */
    private long datagramCidEpoch;
    private long datagramCidSequence;
    private boolean datagramCidNewest;
    /** Whether the datagram being processed came by its connection ID, perhaps from elsewhere: then only such records count. */
    private boolean datagramRoutedByConnectionId;
    /** Whether a protected record of the datagram being processed authenticated (RFC 9853 2: it raises the anti-amplification limit). */
    private boolean datagramAuthenticated;
    /** Whether the hellos agreed on the return routability check (RFC 9853 3), beside connection IDs. */
    private boolean returnRoutabilityCheck;
    /** Where return_routability_check records go once established ({@link DtlsEngine}'s {@link ReturnRoutability}); {@code null}: none. */
    private ReturnRoutabilityCheckHandler returnRoutabilityCheckHandler;

    /** Reads the plaintext of a return_routability_check record (RFC 9853 4) that authenticated in the current epoch. */
    interface ReturnRoutabilityCheckHandler {
        void onReturnRoutabilityCheck(byte[] plaintext, long now);
    }

    /** What the engine hands over when the hellos choose DTLS 1.3. */
    record Handover(boolean client, Reassembler reassembler, int nextSendSeq, int lastPeerSeq, long nextPlaintextSeq,
            long handshakeDeadline, int pmtu, ArrayDeque<byte[]> outbound,
            ArrayDeque<byte[]> inboundApplicationData, ArrayDeque<EngineEvent> events, RecordNumber helloRecord,
            byte[] localConnectionId) {
    }

    Dtls13Association(DtlsConfig config, Handover h) {
        this.config = config;
        this.trace = config.messageTrace();
        this.client = h.client();
        this.reassembler = h.reassembler();
        this.nextSendSeq = h.nextSendSeq();
        this.lastPeerSeq = h.lastPeerSeq();
        this.handshakeDeadline = h.handshakeDeadline();
        this.pmtu = h.pmtu();
        this.outbound = h.outbound();
        this.inboundApplicationData = h.inboundApplicationData();
        this.events = h.events();
        this.localConnectionId = h.localConnectionId().clone();
        this.records.continuePlaintextSequence(h.nextPlaintextSeq());
        // The record with the deciding hello belongs to the peer's flight: an ACK lists it (RFC 9147 7).
        this.acks.note(h.helloRecord());
        // RFC 9147 5.8: the same initial 1 s and doubling as DTLS 1.2, as configured.
        this.timer = new RetransmitTimer(config.initialRetransmitMillis(), config.maxRetransmitMillis(),
                config.retransmitBackoff(), config.adaptiveRetransmit());
    }

    /** Starts the handshake in {@code first}, the state the hello that chose DTLS 1.3 led to. */
    void start(State first) {
        this.state = first;
    }

    /** Runs a message that arrived before the handover (the hello that chose DTLS 1.3). */
    void dispatchFirst(HandshakeMessage message, long now) {
        dispatch(message, now);
    }

    DtlsConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- inputs

    /**
     * One datagram. The result tells a caller that follows the peer by its connection ID
     * whether this datagram may move it (RFC 9146 6, RFC 9147 9): a record carrying our ID
     * authenticated and was newer than every record before it.
     */
    DtlsEngine.Received receive(byte[] datagram, int offset, int length, long now) {
        lastNow = now;
        if (status == DtlsEngine.Status.FAILED || (status == DtlsEngine.Status.CLOSED && closeNotifyReceived)) {
            drop(DropReason.AFTER_CLOSE);
            return DtlsEngine.Received.NONE;
        }
        datagramCidEpoch = -1;
        datagramCidSequence = -1;
        datagramCidNewest = false;
        datagramAuthenticated = false;
        Dtls13RecordCodec.Parsed parsed = Dtls13RecordCodec.parse(datagram, offset, length, localConnectionId.length);
        if (parsed.malformedTail()) {
            drop(DropReason.MALFORMED_RECORD);
        }
        // Callers route a datagram whose first record carries our ID by the ID, from any
        // address; in it only records with the ID are read (RFC 9146 6).
        datagramRoutedByConnectionId = !parsed.records().isEmpty()
                && parsed.records().get(0) instanceof Dtls13Record.Ciphertext c && c.hasConnectionId();
        for (Dtls13Record record : parsed.records()) {
            if (status == DtlsEngine.Status.FAILED) {
                break;
            }
            if (datagramRoutedByConnectionId && !(record instanceof Dtls13Record.Ciphertext c && c.hasConnectionId())) {
                drop(DropReason.MISSING_CONNECTION_ID);
                continue;
            }
            try {
                processRecord(record, now);
            } catch (RuntimeException e) {
                log.error("internal error processing a DTLS 1.3 record; failing the association", e);
                fail(new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "internal error: " + e, e));
                return DtlsEngine.Received.NONE;
            }
        }
        if (status != DtlsEngine.Status.FAILED) {
            // RFC 9147 7.1: part of the peer's flight arrived and the rest has not; say what we
            // hold soon, so that only the rest is resent.
            acks.scheduleIfHolding(now, timer.initialMillis());
        }
        if (datagramCidEpoch < 0) {
            return DtlsEngine.Received.NONE;
        }
        return new DtlsEngine.Received((int) Math.min(Integer.MAX_VALUE, datagramCidEpoch), datagramCidSequence,
                datagramCidNewest);
    }

    /**
     * Notes a protected record that authenticated (deprotected and new to its replay window):
     * the newest by epoch, then sequence number, is what may move the peer (RFC 9146 6).
     */
    private void noteAuthenticated(Dtls13Record record, RecordNumber number) {
        if (number.epoch() == 0) {
            return; // plaintext: authenticates nothing
        }
        datagramAuthenticated = true;
        boolean newest = number.epoch() > newestEpoch
                || (number.epoch() == newestEpoch && number.sequenceNumber() > newestSequence);
        if (newest) {
            newestEpoch = number.epoch();
            newestSequence = number.sequenceNumber();
        }
        if (record instanceof Dtls13Record.Ciphertext c && c.hasConnectionId()) {
            datagramCidEpoch = number.epoch();
            datagramCidSequence = number.sequenceNumber();
            datagramCidNewest = newest;
        }
    }

    /**
     * Starts putting {@code peer} in our records and expecting our own ID in the peer's
     * (RFC 9147 9, RFC 9146 3), as the hellos agreed; before any protected record goes out.
     */
    void useConnectionIds(byte[] peer) {
        peerConnectionId = peer.clone();
        records.useConnectionIds(localConnectionId, peer);
    }

    /** The hellos agreed on the return routability check (RFC 9853 3); only beside connection IDs. */
    void agreeReturnRoutabilityCheck() {
        returnRoutabilityCheck = true;
    }

    boolean returnRoutabilityCheckAgreed() {
        return returnRoutabilityCheck;
    }

    /** Whether a protected record of the last datagram authenticated. */
    boolean datagramAuthenticated() {
        return datagramAuthenticated;
    }

    void onReturnRoutabilityCheck(ReturnRoutabilityCheckHandler handler) {
        this.returnRoutabilityCheckHandler = handler;
    }

    /**
     * One return_routability_check record (RFC 9853 4: under the currently active keys, so in
     * our newest write epoch, with the peer's connection ID), or {@code null} when those keys
     * are spent (the association then fails).
     */
    byte[] sealReturnRoutabilityCheck(byte[] body) {
        Dtls13RecordProtection p = records.writeProtection(writeEpoch);
        if (status != DtlsEngine.Status.ESTABLISHED || p == null || p.exhausted()) {
            if (status == DtlsEngine.Status.ESTABLISHED) {
                fail(new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "the keys of epoch " + writeEpoch
                        + " reached their AEAD limit (RFC 9147 4.5.3); open a new association"));
            }
            return null;
        }
        RecordNumber number = trace == null ? null : records.nextRecordNumber(writeEpoch);
        byte[] record = records.seal(writeEpoch, ContentType.RETURN_ROUTABILITY_CHECK.code, body);
        if (trace != null) {
            traceSent(number, ContentType.RETURN_ROUTABILITY_CHECK, record.length);
        }
        return record;
    }

    /** The bytes of one return_routability_check record of {@code bodyLength} bytes in our write epoch. */
    int returnRoutabilityCheckRecordBytes(int bodyLength) {
        return bodyLength + records.overhead(writeEpoch);
    }

    /** The ID the peer puts in records to us, or {@code null} when connection IDs were not agreed. */
    byte[] agreedLocalConnectionId() {
        return peerConnectionId == null ? null : localConnectionId.clone();
    }

    /** The ID we put in records to the peer, or {@code null} when connection IDs were not agreed. */
    byte[] agreedPeerConnectionId() {
        return peerConnectionId == null ? null : peerConnectionId.clone();
    }

    /** The connection ID offered in our hello (the engine's, chosen before the hellos). */
    byte[] localConnectionId() {
        return localConnectionId.clone();
    }

    /** Record overhead with a peer connection ID of {@code length} bytes: the unified header, content type and tag (RFC 9147 4). */
    static int overheadWithConnectionId(Tls13CipherSuite suite, int length) {
        return org.dtlsip.dtls.record.UnifiedHeader.length(length, true, true) + 1 + suite.tagLength();
    }

    void handleTimeout(long now) {
        lastNow = now;
        if (status == DtlsEngine.Status.HANDSHAKING && now >= handshakeDeadline) {
            failTimeout();
            return;
        }
        try {
            if (acks.deadline() <= now) {
                sendAck();
            }
            if (flight != null && now >= flightDeadline) {
                // RFC 9147 5.8: a peer that never ACKs our last flight; it completed or it is gone.
                flight = null;
                timer.disarm();
            }
            if (timer.isArmed() && timer.expired(now) && flight != null) {
                retransmissions++;
                log.debug("retransmitting the unacknowledged part of the flight after {} ms", timer.currentMillis());
                if (trace != null) {
                    Traces.emit(trace, new MessageTrace.RetransmissionEvent(MessageTrace.RetransmissionEvent.Cause.TIMER,
                            timer.currentMillis(), retransmissions));
                }
                flight.transmit(records, pmtu, outbound::add, trace, true);
                // The peer's repeats of its flight within the next moments ask for what was just sent.
                lastPeerTriggeredRetransmit = now;
                timer.backOff(now);
            }
        } catch (HandshakeFailure f) {
            fail(f);
        } catch (RuntimeException e) {
            log.error("internal error on a DTLS 1.3 timer; failing the association", e);
            fail(new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "internal error: " + e, e));
        }
    }

    long nextDeadline() {
        if (status == DtlsEngine.Status.FAILED) {
            return Long.MAX_VALUE;
        }
        long deadline = Math.min(timer.deadline(), acks.deadline());
        if (flight != null && flightDeadline != Long.MAX_VALUE) {
            deadline = Math.min(deadline, flightDeadline);
        }
        if (status == DtlsEngine.Status.HANDSHAKING) {
            deadline = Math.min(deadline, handshakeDeadline);
        }
        return deadline;
    }

    void send(byte[] data, int offset, int length) throws DtlsException {
        checkSendable(length);
        RecordNumber number = trace == null ? null : records.nextRecordNumber(writeEpoch);
        byte[] record = records.seal(writeEpoch, ContentType.APPLICATION_DATA.code, data, offset, length, 0);
        if (trace != null) {
            traceSent(number, ContentType.APPLICATION_DATA, record.length);
        }
        outbound.add(record);
    }

    /**
     * {@link #send} sealed straight into the caller's {@code out} (DtlsEngine.sendInto). A
     * KeyUpdate the AEAD limit makes due is queued in {@code outbound} as {@link #send} does;
     * this record still goes in the current epoch (RFC 9147 4.5.3), so its order against the
     * queued KeyUpdate does not matter.
     *
     * @return the record's length in {@code out}
     */
    int sendInto(byte[] data, int offset, int length, byte[] out, int outOffset) throws DtlsException {
        checkSendable(length);
        RecordNumber number = trace == null ? null : records.nextRecordNumber(writeEpoch);
        int written = records.sealInto(writeEpoch, ContentType.APPLICATION_DATA.code, data, offset, length, 0, out,
                outOffset);
        if (trace != null) {
            traceSent(number, ContentType.APPLICATION_DATA, written);
        }
        return written;
    }

    /** Status, length and AEAD limit checks before an application record; updates keys when due. */
    private void checkSendable(int length) throws DtlsException {
        if (status != DtlsEngine.Status.ESTABLISHED) {
            if (failure != null) {
                throw failure;
            }
            throw new DtlsException(status == DtlsEngine.Status.HANDSHAKING
                    ? "cannot send application data before the handshake completes"
                    : "cannot send application data: the association is closed");
        }
        int max = maxApplicationDataLength();
        if (length > max) {
            throw new DtlsException("application record of " + length + " bytes exceeds the maximum of " + max
                    + " for PMTU " + pmtu + " (DTLS does not fragment application data); send smaller messages or raise the PMTU");
        }
        Dtls13RecordProtection p = records.writeProtection(writeEpoch);
        if (p != null && keyUpdateDue(p)) {
            // RFC 8446 5.5, RFC 9147 4.5.3: new keys well before the limit; this record still
            // goes in the current epoch, later ones in the next once the peer ACKs the update.
            updateKeys(false, lastNow);
        }
        if (p == null || p.exhausted()) {
            fail(new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "the keys of epoch " + writeEpoch
                    + " reached their AEAD limit (RFC 9147 4.5.3); open a new association"));
            throw failure;
        }
    }

    /** Sends close_notify (RFC 8446 6.1). */
    void close() {
        if (status == DtlsEngine.Status.FAILED || closeNotifySent) {
            return;
        }
        sendFinalAlert(AlertLevel.WARNING, AlertDescription.CLOSE_NOTIFY);
        closeNotifySent = true;
        status = DtlsEngine.Status.CLOSED;
        timer.disarm();
        flight = null;
        acks.clear();
    }

    void abort(AlertDescription alert, String reason) {
        if (status == DtlsEngine.Status.FAILED || status == DtlsEngine.Status.CLOSED) {
            return;
        }
        fail(new HandshakeFailure(alert, reason));
    }

    // ---------------------------------------------------------------- observers

    DtlsEngine.Status status() {
        return status;
    }

    DtlsSession session() {
        return session;
    }

    DtlsException failure() {
        return failure;
    }

    boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    int pmtu() {
        return pmtu;
    }

    void setPmtu(int pmtu) {
        this.pmtu = pmtu;
    }

    void allowIpFragmentation(int bytes) {
        this.fragmentedRecordLimit = bytes;
    }

    int maxApplicationDataLength() {
        if (!records.canWrite(writeEpoch) || writeEpoch == 0) {
            return 0;
        }
        return Math.min(org.dtlsip.dtls.record.Record.MAX_PLAINTEXT_LENGTH,
                Math.max(pmtu - records.overhead(writeEpoch), fragmentedRecordLimit));
    }

    Map<DropReason, Long> drops() {
        return drops == null ? Map.of() : Collections.unmodifiableMap(drops);
    }

    long retransmissions() {
        return retransmissions;
    }

    long initialRetransmitMillis() {
        return timer.initialMillis();
    }

    int bufferedBytes() {
        return reassembler.bufferedBytes();
    }

    // ---------------------------------------------------------------- record processing

    void drop(DropReason reason) {
        if (drops == null) {
            drops = new EnumMap<>(DropReason.class);
        }
        drops.merge(reason, 1L, Long::sum);
        if (log.isTraceEnabled()) {
            log.trace("dropped: {}", reason);
        }
    }

    private EpochRelation relation(long epoch) {
        if (epoch == readEpoch) {
            return EpochRelation.CURRENT;
        }
        if (epoch == previousReadEpoch) {
            return EpochRelation.PREVIOUS;
        }
        return epoch > readEpoch ? EpochRelation.NEXT : EpochRelation.OTHER;
    }

    private void processRecord(Dtls13Record record, long now) {
        Dtls13RecordLayer.Result result = records.open(record);
        if (result instanceof Dtls13RecordLayer.Dropped dropped) {
            drop(dropped.reason());
            if (dropped.reason() == DropReason.BAD_RECORD_MAC) {
                watchIntegrityLimit(now);
            }
            if (trace != null) {
                // Not authenticated: neither its epoch nor its type can be told.
                Traces.emit(trace, new MessageTrace.RecordEvent(MessageTrace.Direction.RECEIVED, -1, -1,
                        MessageTrace.RecordEvent.UNKNOWN_CONTENT_TYPE, record.encodedLength(), false, dropped.reason()));
            }
            return;
        }
        Dtls13RecordLayer.Opened opened = (Dtls13RecordLayer.Opened) result;
        RecordNumber number = opened.number();
        noteAuthenticated(record, number);
        ContentType type = ContentType.of(opened.contentType());
        if (type == null) {
            drop(DropReason.UNKNOWN_CONTENT_TYPE);
            traceReceived(record, number, opened.contentType(), DropReason.UNKNOWN_CONTENT_TYPE);
            return;
        }
        Acceptance.Rule rule = state.acceptance().rule(relation(number.epoch()), type);
        traceReceived(record, number, type.code, rule.action() == Acceptance.Action.DISCARD ? rule.reason() : null);
        switch (rule.action()) {
            case PROCESS, REPEATS_ONLY -> {
                switch (type) {
                    case HANDSHAKE -> processHandshake(opened.content(), number, rule, now);
                    case ALERT -> processAlert(opened.content(), number.epoch());
                    case ACK -> processAck(opened.content(), number.epoch());
                    case APPLICATION_DATA -> processApplicationData(opened.content());
                    case RETURN_ROUTABILITY_CHECK -> processReturnRoutabilityCheck(opened.content(), now);
                    default -> drop(DropReason.UNKNOWN_CONTENT_TYPE);
                }
            }
            case BUFFER, DISCARD -> {
                drop(rule.reason() == null ? DropReason.UNEXPECTED_EPOCH : rule.reason());
                if (log.isTraceEnabled()) {
                    log.trace("{} record of epoch {} in state {} discarded: {}", type, number.epoch(), state.name(), rule.rfc());
                }
            }
        }
    }

    /** RFC 9853 3: read only once both hellos carried rrc; the engine's {@link ReturnRoutability} answers. */
    private void processReturnRoutabilityCheck(byte[] plaintext, long now) {
        if (!returnRoutabilityCheck || returnRoutabilityCheckHandler == null) {
            drop(DropReason.RRC_NOT_NEGOTIATED);
            return;
        }
        returnRoutabilityCheckHandler.onReturnRoutabilityCheck(plaintext, now);
    }

    /**
     * RFC 9147 4.5.3: records failing deprotection are counted per key, and past the AEAD's
     * integrity limit the key must not be used (AES_128_CCM_8 allows only 2^7, B.3). Halfway
     * there we ask the peer for new keys, once per epoch; an older epoch that reaches the limit
     * is retired, and the current one reaching it ends the association.
     */
    private void watchIntegrityLimit(long now) {
        for (long epoch = Math.max(1, readEpoch - (Dtls13RecordLayer.MAX_READ_EPOCHS - 1)); epoch <= readEpoch; epoch++) {
            Dtls13RecordProtection p = records.readProtection(epoch);
            if (p == null) {
                continue;
            }
            if (p.forgeryLimitReached()) {
                if (epoch == readEpoch) {
                    fail(new HandshakeFailure(AlertDescription.BAD_RECORD_MAC, p.failedRecords() + " records of epoch " + epoch
                            + " failed authentication, the integrity limit of " + p.suite()
                            + " (RFC 9147 4.5.3); the peer did not update its keys in time"));
                    return;
                }
                records.retireReadEpoch(epoch);
                log.debug("read epoch {} retired after {} forged records (RFC 9147 4.5.3)", epoch, p.failedRecords());
            } else if (epoch == readEpoch && p.keyUpdateDue() && keyUpdateRequestedForEpoch != readEpoch
                    && status == DtlsEngine.Status.ESTABLISHED && keyUpdate != null) {
                if (!updateKeys(true, now)) {
                    // Another flight is out (a NewSessionTicket, our own KeyUpdate): ask once it is ACKed.
                    keyUpdate.requestOwed(true);
                }
                keyUpdateRequestedForEpoch = readEpoch;
            }
        }
    }

    private void processHandshake(byte[] plaintext, RecordNumber number, Acceptance.Rule rule, long now) {
        ByteReader reader = new ByteReader(plaintext);
        boolean repeat = false;
        boolean fresh = false;
        while (reader.hasRemaining()) {
            HandshakeFragment fragment;
            try {
                fragment = HandshakeFragment.decode(reader);
            } catch (DecodeException e) {
                drop(DropReason.MALFORMED_HANDSHAKE);
                return;
            }
            if (trace != null) {
                Traces.fragment(trace, MessageTrace.Direction.RECEIVED, number.epoch(), fragment,
                        fragment.messageSeq() < reassembler.nextExpectedSeq());
            }
            if (fragment.messageSeq() < reassembler.nextExpectedSeq()) {
                repeat = true;
                continue;
            }
            if (rule.action() == Acceptance.Action.REPEATS_ONLY) {
                drop(rule.reason());
                continue;
            }
            HandshakeType type = HandshakeType.of(fragment.msgType());
            if (type != null && fragment.messageSeq() == reassembler.nextExpectedSeq() && !state.acceptance().accepts(type)) {
                // RFC 8446 6.2: decided on the type alone, before the body is reassembled or parsed.
                fail(new HandshakeFailure(AlertDescription.UNEXPECTED_MESSAGE, "unexpected "
                        + type.name().toLowerCase(Locale.ROOT) + " in state " + state.name() + ", which accepts "
                        + state.acceptance().messages() + " (" + state.acceptance().messagesRfc() + ")"));
                return;
            }
            Reassembler.Offer offer = reassembler.offer(fragment);
            switch (offer) {
                case BUFFERED, COMPLETED_NEXT -> fresh = true;
                case DUPLICATE -> repeat = true;
                default -> drop(DropReason.HANDSHAKE_FRAGMENT_REJECTED);
            }
        }
        if (fresh) {
            // Listed before the messages run: a flight we send in answer acknowledges it implicitly
            // and clears the list; a last flight is acknowledged explicitly (RFC 9147 7.1).
            acks.note(number);
        }
        HandshakeMessage message;
        while (status != DtlsEngine.Status.FAILED && (message = reassembler.poll()) != null) {
            lastPeerSeq = message.messageSeq();
            dispatch(message, now);
        }
        if (repeat && !fresh && status != DtlsEngine.Status.FAILED) {
            onPeerRetransmission(number, now);
        }
    }

    private void dispatch(HandshakeMessage message, long now) {
        Acceptance accepts = state.acceptance();
        if (!accepts.accepts(message.type())) {
            fail(new HandshakeFailure(AlertDescription.UNEXPECTED_MESSAGE, "unexpected "
                    + message.type().name().toLowerCase(Locale.ROOT) + " in state " + state.name() + ", which accepts "
                    + accepts.messages() + " (" + accepts.messagesRfc() + ")"));
            return;
        }
        try {
            state = state.onMessage(message, now);
        } catch (HandshakeFailure f) {
            fail(f);
        } catch (DecodeException e) {
            fail(new HandshakeFailure(AlertDescription.DECODE_ERROR,
                    "malformed " + message.type().name().toLowerCase(Locale.ROOT) + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("internal error processing {}", message.type(), e);
            fail(new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "internal error: " + e, e));
        }
    }

    /**
     * The peer repeated messages we processed: it lost (part of) our answer. Resend what is
     * unacknowledged of our flight, at most once per {@link DtlsEngine#MIN_PEER_TRIGGERED_RETRANSMIT_MILLIS}
     * (no amplification by spoofed repeats); with nothing to resend, ACK the repeat so the peer
     * stops (RFC 9147 7.1).
     */
    private void onPeerRetransmission(RecordNumber number, long now) {
        if (flight != null) {
            if (lastPeerTriggeredRetransmit == Long.MIN_VALUE
                    || now - lastPeerTriggeredRetransmit >= DtlsEngine.MIN_PEER_TRIGGERED_RETRANSMIT_MILLIS) {
                lastPeerTriggeredRetransmit = now;
                retransmissions++;
                if (trace != null) {
                    Traces.emit(trace, new MessageTrace.RetransmissionEvent(MessageTrace.RetransmissionEvent.Cause.PEER_REPEAT,
                            timer.currentMillis(), retransmissions));
                }
                try {
                    flight.transmit(records, pmtu, outbound::add, trace, true);
                    if (timer.isArmed()) {
                        // As in DTLS 1.2: what was just resent gets a full timer before the next resend.
                        timer.restartAfterPeerRetransmission(now);
                    }
                } catch (HandshakeFailure f) {
                    fail(f);
                }
            }
            return;
        }
        acks.note(number);
        sendAck();
    }

    private void processAck(byte[] content, long epoch) {
        Ack ack;
        try {
            ack = Ack.decode(content);
        } catch (DecodeException e) {
            drop(DropReason.MALFORMED_RECORD);
            return;
        }
        if (trace != null) {
            Traces.emit(trace, new MessageTrace.AckEvent(MessageTrace.Direction.RECEIVED, epoch, ack.recordNumbers()));
        }
        if (flight == null) {
            return;
        }
        // RFC 9147 7: during the handshake an ACK is sent in an epoch at least that of what it
        // acknowledges, so numbers of later epochs (like numbers of records never sent)
        // acknowledge nothing; afterwards each side writes its own newest epoch.
        flight.acknowledge(ack, status == DtlsEngine.Status.HANDSHAKING ? epoch : Long.MAX_VALUE);
        if (flight.fullyAcknowledged()) {
            // RFC 9147 7.2: nothing left to retransmit; a flight that awaits a reply waits for it
            // under the handshake timeout.
            timer.disarm();
            if (!flight.awaitsReply()) {
                flight = null;
            }
            if (keyUpdate != null && keyUpdate.pending()) {
                // RFC 9147 8: the peer has our KeyUpdate, so it can read the next epoch.
                keyUpdate.pending(false);
                installWriteEpoch(writeEpoch + 1, keyUpdate.hkdf, keyUpdate.suite, keyUpdate.nextWriteSecret());
            }
            if (keyUpdate != null && (keyUpdate.owed() || keyUpdate.requestOwed())) {
                boolean request = keyUpdate.requestOwed();
                keyUpdate.owed(false);
                keyUpdate.requestOwed(false);
                updateKeys(request, lastNow);
            }
        }
    }

    private void processAlert(byte[] plaintext, long epoch) {
        if (plaintext.length != 2) {
            drop(DropReason.MALFORMED_RECORD);
            return;
        }
        if (trace != null) {
            Traces.emit(trace, new MessageTrace.AlertEvent(MessageTrace.Direction.RECEIVED, epoch, plaintext[0] & 0xff,
                    plaintext[1] & 0xff));
        }
        AlertLevel level = AlertLevel.of(plaintext[0]);
        int code = plaintext[1] & 0xff;
        AlertDescription description = AlertDescription.of(code);
        if (description == AlertDescription.CLOSE_NOTIFY) {
            closeNotifyReceived = true;
            if (!closeNotifySent && status != DtlsEngine.Status.FAILED) {
                // RFC 8446 6.1: answer with our own close_notify, as the DTLS 1.2 engine does.
                sendFinalAlert(AlertLevel.WARNING, AlertDescription.CLOSE_NOTIFY);
                closeNotifySent = true;
            }
            status = DtlsEngine.Status.CLOSED;
            timer.disarm();
            flight = null;
            acks.clear();
            events.add(EngineEvent.closed());
            return;
        }
        // RFC 8446 6: every other alert is fatal in TLS 1.3, whatever level it claims (user_canceled aside).
        if (description == AlertDescription.USER_CANCELED) {
            events.add(EngineEvent.warning(description));
            return;
        }
        invalidateSession();
        String what = status == DtlsEngine.Status.HANDSHAKING ? "handshake failed" : "connection failed";
        failure = new DtlsException(what + ": received fatal alert " + AlertDescription.nameOf(code), description, true, null);
        status = DtlsEngine.Status.FAILED;
        timer.disarm();
        events.add(EngineEvent.failed(failure));
        log.debug("{} (level {})", failure.getMessage(), level);
    }

    private void processApplicationData(byte[] plaintext) {
        if (status != DtlsEngine.Status.ESTABLISHED) {
            drop(DropReason.AFTER_CLOSE);
            return;
        }
        if (inboundApplicationData.size() >= DtlsEngine.MAX_PENDING_APPLICATION_RECORDS) {
            drop(DropReason.RECEIVE_QUEUE_FULL);
            return;
        }
        inboundApplicationData.add(plaintext);
    }

    // ---------------------------------------------------------------- key update (RFC 9147 8)

    /** The handshake's last state hands over the first application traffic secrets. */
    void applicationSecrets(Tls13Hkdf hkdf, Tls13CipherSuite suite, byte[] write, byte[] read) {
        this.keyUpdate = new Dtls13KeyUpdate(hkdf, suite, write, read);
    }

    /**
     * Sends a KeyUpdate in the current epoch; our records move to the next epoch once the peer
     * acknowledges it (RFC 9147 8). Only one flight is outstanding at a time.
     *
     * @return false when not possible now: not established, an update already out, or our last
     *     flight not acknowledged yet
     */
    boolean updateKeys(boolean requestPeerUpdate, long now) {
        if (status != DtlsEngine.Status.ESTABLISHED || keyUpdate == null || keyUpdate.pending()
                || (flight != null && !flight.fullyAcknowledged())) {
            return false;
        }
        if (writeEpoch + 1 > Dtls13RecordLayer.MAX_WRITE_EPOCH) {
            fail(new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "no epoch left for a KeyUpdate (RFC 9147 8: 2^48 - 1)"));
            return false;
        }
        if (nextSendSeq > HandshakeFragment.MAX_MESSAGE_SEQ) {
            // message_seq is a uint16 that never wraps (RFC 9147 5.2): after 65,536 handshake
            // messages no KeyUpdate can be numbered. As for the epoch limit (RFC 9147 8), a
            // request from the peer is then ignored; the current keys serve until their AEAD
            // limit, where sending fails with a message that says to open a new association.
            if (!messageSeqExhaustedLogged) {
                messageSeqExhaustedLogged = true;
                log.warn("DTLS 1.3: every message_seq is used (RFC 9147 5.2); no further KeyUpdate on this association");
            }
            return false;
        }
        keyUpdate.pending(true);
        HandshakeMessage message = newMessage(HandshakeType.KEY_UPDATE,
                org.dtlsip.dtls.handshake.message.KeyUpdate.requested(requestPeerUpdate).encode());
        sendFlight(List.of(new Dtls13Flight.Item(writeEpoch, message)), false, now);
        return true;
    }

    /**
     * The peer's KeyUpdate (RFC 8446 4.6.3, RFC 9147 8): its next epoch becomes readable, the
     * old one stays for reordered records; it is acknowledged at once, and answered with our own
     * KeyUpdate when it asks for one.
     */
    void onKeyUpdate(HandshakeMessage message, long now) {
        org.dtlsip.dtls.handshake.message.KeyUpdate update = Handshake.decode(message,
                org.dtlsip.dtls.handshake.message.KeyUpdate::decode);
        if (!update.isValid()) {
            throw new HandshakeFailure(AlertDescription.ILLEGAL_PARAMETER,
                    "KeyUpdate with request_update " + update.requestUpdate() + " (RFC 8446 4.6.3)");
        }
        installReadEpoch(readEpoch + 1, keyUpdate.hkdf, keyUpdate.suite, keyUpdate.nextReadSecret());
        acknowledgeNow();
        if (update.updateRequested() && !keyUpdate.pending() && !updateKeys(false, now)) {
            keyUpdate.owed(true);
        }
    }

    /** Whether our current write key has protected enough records to be replaced (see {@link DtlsConfig#tls13KeyUpdateAfterRecords()}). */
    private boolean keyUpdateDue(Dtls13RecordProtection p) {
        long after = config.tls13KeyUpdateAfterRecords();
        return keyUpdate != null && !keyUpdate.pending()
                && (after > 0 ? p.protectedRecords() >= after : p.protectedRecords() >= p.limits().keyUpdateAfterRecords());
    }

    /** The acceptance phase after the handshake: whether the previous read epoch is an application one. */
    Dtls13Acceptance.Phase establishedPhase() {
        return previousReadEpoch >= 3 ? Dtls13Acceptance.Phase.UPDATED : Dtls13Acceptance.Phase.ESTABLISHED;
    }

    // ---------------------------------------------------------------- used by the states

    HandshakeMessage newMessage(HandshakeType type, byte[] body) {
        return new HandshakeMessage(type, nextSendSeq++, body);
    }

    /** Installs the keys the peer writes {@code epoch} with (RFC 9147 6.1), which becomes the current read epoch. */
    void installReadEpoch(long epoch, Tls13Hkdf hkdf, Tls13CipherSuite suite, byte[] secret) {
        TrafficKeys keys = TrafficKeys.derive(hkdf, suite, secret);
        records.installReadEpoch(epoch, Dtls13RecordProtection.forReading(keys));
        previousReadEpoch = readEpoch;
        readEpoch = epoch;
    }

    /** Installs the keys we write {@code epoch} with; alerts and application data use the newest. */
    void installWriteEpoch(long epoch, Tls13Hkdf hkdf, Tls13CipherSuite suite, byte[] secret) {
        TrafficKeys keys = TrafficKeys.derive(hkdf, suite, secret);
        records.installWriteEpoch(epoch, Dtls13RecordProtection.forWriting(keys));
        writeEpoch = epoch;
    }

    /**
     * Sends a flight; the peer's flight it answers is acknowledged by it (RFC 9147 7.1:
     * implicit acknowledgement). A flight that awaits no reply is retransmitted until ACKed,
     * for at most the handshake timeout (RFC 9147 5.8.4 for the client's last flight).
     */
    void sendFlight(List<Dtls13Flight.Item> items, boolean awaitsReply, long now) {
        flight = new Dtls13Flight(items, awaitsReply, lastPeerSeq, pmtu, records);
        acks.clear();
        flight.transmit(records, pmtu, outbound::add, trace, false);
        timer.startNewFlight(now);
        flightDeadline = awaitsReply ? Long.MAX_VALUE : now + config.handshakeTimeoutMillis();
    }

    /** The peer's flight is complete and needs an explicit ACK (its last flight, a post-handshake message). */
    void acknowledgeNow() {
        sendAck();
    }

    /**
     * The handshake is complete: the peer's flight that completed it was processed, and the
     * server acknowledges the client's last flight at once (RFC 9147 5.8.4, 7.1).
     */
    void handshakeComplete(DtlsSession session) {
        this.session = session;
        status = DtlsEngine.Status.ESTABLISHED;
        if (!client) {
            // Our flight was answered by the client's Finished.
            flight = null;
            timer.disarm();
            sendAck();
        }
        if (config.keyLog() != null) {
            for (String line : session.keyLogLine().split("\n")) {
                config.keyLog().write(line);
            }
        }
        events.add(EngineEvent.complete(session));
        log.debug("handshake complete: {}", session);
    }

    private void sendAck() {
        Ack ack = acks.take();
        if (status != DtlsEngine.Status.FAILED) {
            RecordNumber number = trace == null ? null : records.nextRecordNumber(writeEpoch);
            byte[] record = records.seal(writeEpoch, ContentType.ACK.code, ack.encode());
            if (trace != null) {
                traceSent(number, ContentType.ACK, record.length);
                Traces.emit(trace, new MessageTrace.AckEvent(MessageTrace.Direction.SENT, writeEpoch, ack.recordNumbers()));
            }
            outbound.add(record);
        }
    }

    // ---------------------------------------------------------------- trace

    private void traceSent(RecordNumber number, ContentType type, int bytes) {
        Traces.emit(trace, new MessageTrace.RecordEvent(MessageTrace.Direction.SENT, number.epoch(), number.sequenceNumber(),
                type.code, bytes, false, null));
    }

    private void traceReceived(Dtls13Record record, RecordNumber number, int contentType, DropReason dropped) {
        if (trace != null) {
            Traces.emit(trace, new MessageTrace.RecordEvent(MessageTrace.Direction.RECEIVED, number.epoch(),
                    number.sequenceNumber(), contentType, record.encodedLength(), false, dropped));
        }
    }

    // ---------------------------------------------------------------- failure

    private static byte[] alert(AlertLevel level, AlertDescription description) {
        return new byte[] {(byte) level.code, (byte) description.code};
    }

    /** Best effort: an alert in our newest write epoch (plaintext before any keys). */
    private void sendFinalAlert(AlertLevel level, AlertDescription description) {
        try {
            Dtls13RecordProtection p = records.writeProtection(writeEpoch);
            if (writeEpoch != 0 && (p == null || p.exhausted())) {
                return;
            }
            RecordNumber number = trace == null ? null : records.nextRecordNumber(writeEpoch);
            byte[] record = records.seal(writeEpoch, ContentType.ALERT.code, alert(level, description));
            if (trace != null) {
                traceSent(number, ContentType.ALERT, record.length);
                Traces.emit(trace, new MessageTrace.AlertEvent(MessageTrace.Direction.SENT, writeEpoch, level.code,
                        description.code));
            }
            outbound.add(record);
        } catch (RuntimeException e) {
            log.warn("could not send the {} alert", description.rfcName(), e);
        }
    }

    void fail(HandshakeFailure f) {
        if (status == DtlsEngine.Status.FAILED) {
            return;
        }
        String what = status == DtlsEngine.Status.HANDSHAKING ? "handshake failed: " : "connection failed: ";
        invalidateSession();
        sendFinalAlert(AlertLevel.FATAL, f.alert);
        failure = new DtlsException(what + f.getMessage() + " (sent fatal alert " + f.alert.rfcName() + ")",
                f.alert, false, f.getCause());
        status = DtlsEngine.Status.FAILED;
        timer.disarm();
        flight = null;
        acks.clear();
        events.add(EngineEvent.failed(failure));
        log.debug("{}", failure.getMessage());
    }

    private void invalidateSession() {
        if (session != null) {
            session.invalidate();
        }
    }

    private void failTimeout() {
        failure = new DtlsException("handshake failed: no answer from the peer within " + config.handshakeTimeoutMillis()
                + " ms (" + retransmissions + " retransmissions); check that the peer is running and reachable, "
                + "or raise the handshake timeout");
        status = DtlsEngine.Status.FAILED;
        timer.disarm();
        flight = null;
        events.add(EngineEvent.failed(failure));
        log.debug("{}", failure.getMessage());
    }
}

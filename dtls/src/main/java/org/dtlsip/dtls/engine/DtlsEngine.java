package org.dtlsip.dtls.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.Reassembler;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.EpochRelation;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.record.RecordLayer;
import org.dtlsip.dtls.record.RecordNumber;
import org.dtlsip.dtls.record.RecordProtection;
import org.dtlsip.dtls.record.ReturnRoutabilityCheck;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DTLS 1.2 association, sans-IO: it consumes datagrams and the time, and produces
 * datagrams to send, application data, events and the next deadline. It never touches a
 * socket, a thread or a clock; the blocking socket, the non-blocking channel, the multi-peer
 * server and the tests all drive this same object.
 *
 * <p>Driving it: after {@link #receive}, {@link #handleTimeout}, {@link #send} or
 * {@link #close}, drain {@link #pollDatagram()}, {@link #pollApplicationData()} and
 * {@link #pollEvent()}, then call {@link #handleTimeout} once the clock reaches
 * {@link #nextDeadline()}. Not thread-safe: one thread at a time.
 *
 * <p>The data path runs one way: datagram → records → (decrypt) → handshake fragments →
 * reassembled message → state machine → outgoing flight → fragments → records → datagrams.
 */
public final class DtlsEngine {
    private static final Logger log = LoggerFactory.getLogger(DtlsEngine.class);

    /** Records of the next epoch held while their ChangeCipherSpec is missing (RFC 6347 4.1 allows buffering). */
    public static final int MAX_BUFFERED_NEXT_EPOCH_RECORDS = 8;
    /** Byte bound on the same buffer, so eight maximum-size records cannot pin 130 KiB. */
    public static final int MAX_BUFFERED_NEXT_EPOCH_BYTES = 8 * 1024;
    /** Received application records not yet taken by the caller; beyond this they are dropped like UDP would. */
    public static final int MAX_PENDING_APPLICATION_RECORDS = 1024;
    /** The most {@link #allowIpFragmentation(int)} takes: the largest DTLS plaintext, 2^14 (RFC 5246 6.2.1). */
    public static final int MAX_FRAGMENTED_RECORD_PLAINTEXT = 1 << 14;
    /**
     * Least time between two retransmissions of our flight triggered by the peer repeating its
     * own (RFC 6347 4.2.4). A genuine peer's timer never runs faster than
     * {@link DtlsConfig#MIN_ADAPTIVE_RETRANSMIT_MILLIS}; without this bound every small spoofed
     * or duplicated repeat bought a whole flight (amplification, cf. OpenSSL #18635, pion #478).
     */
    public static final long MIN_PEER_TRIGGERED_RETRANSMIT_MILLIS = DtlsConfig.MIN_ADAPTIVE_RETRANSMIT_MILLIS;
    /** Starting size of the output, input and event queues; a flight or a burst grows them. */
    private static final int INITIAL_QUEUE_CAPACITY = 4;

    /** Where the association is in its life. */
    public enum Status { HANDSHAKING, ESTABLISHED, CLOSED, FAILED }

    /** What {@link #challengePath} did with a candidate path (RFC 9853 5.1). */
    public enum PathCheck {
        /** A path_challenge to the candidate is queued ({@link #pollPathDatagram()}). */
        SENT,
        /** That path is being checked already; nothing new is sent. */
        PENDING,
        /** The datagram just received answered a challenge to that path: it is validated (see the event). */
        VALIDATED,
        /**
         * Another path is being checked: RFC 9853 5 does not handle nested rebindings, so this
         * one waits until that check settles; ask again when the peer next sends from it.
         */
        BUSY,
        /**
         * The candidate sent too little for even one challenge within the anti-amplification
         * limit (RFC 9853 2: three times what arrived from it), or nothing authenticated from it.
         */
        AMPLIFICATION_LIMIT,
        /** No check is possible: the hellos did not agree on rrc (RFC 9853 3), or the association is not established. */
        UNAVAILABLE
    }

    /**
     * A datagram for a given path rather than the peer's current address: a path_challenge to
     * a candidate, or a path_response to wherever the challenge came from (RFC 9853 5.4).
     *
     * @param path the caller's token, as passed to {@link #challengePath} or {@link #receive(byte[], int, int, Object, long)}
     */
    public record PathDatagram(Object path, byte[] datagram) {
    }

    /**
     * Return routability checks so far (RFC 9853 7.1 advises keeping these for
     * troubleshooting and security monitoring).
     *
     * @param challengesSent path_challenge messages we sent
     * @param responsesSent path_response messages we sent, one per valid challenge received
     * @param validated checks that ended with a matching path_response
     * @param failed checks that timed out or were answered with path_drop
     */
    public record PathValidationCounts(long challengesSent, long responsesSent, long validated, long failed) {
    }

    /**
     * What one datagram told the caller about the peer's address (RFC 9146 6). The engine
     * owns no address; the caller (e.g. the multi-peer server) may move the peer's address to
     * the datagram's source only when {@link #movesPeerAddress()} says so.
     *
     * @param epoch epoch of the newest tls12_cid record of the datagram that authenticated
     *     (decrypted and passed the replay window), or -1 when none did
     * @param sequenceNumber that record's sequence number, or -1
     * @param newest whether that record was newer, by epoch then sequence number, than every
     *     record authenticated before it
     */
    public record Received(int epoch, long sequenceNumber, boolean newest) {
        /** Nothing authenticated under a connection ID. */
        public static final Received NONE = new Received(-1, -1, false);

        /** True when a record carrying our connection ID authenticated. */
        public boolean authenticatedConnectionIdRecord() {
            return epoch >= 0;
        }

        /**
         * True when the datagram's source may become the peer's address: a record with our
         * connection ID authenticated and was newer than any before (RFC 9146 6), so neither
         * a forgery nor a replayed or reordered old datagram can move the peer. A copy raced
         * from a spoofed source passes this test too: when {@link DtlsEngine#validatesPaths()},
         * check the source with {@link DtlsEngine#challengePath} and move only on
         * {@link EngineEvent.Kind#PATH_VALIDATED} (RFC 9853).
         */
        public boolean movesPeerAddress() {
            return newest;
        }
    }

    private final DtlsConfig config;
    private final RecordLayer records;
    private final Reassembler reassembler;
    private final Handshake handshake;
    /** Set once the hellos chose DTLS 1.3 (RFC 9147): from then on it runs the association. */
    private Dtls13Association v13;
    /** The record being processed: the one carrying the hello that may choose DTLS 1.3. */
    private Record currentRecord;
    private final RetransmitTimer timer;
    /** {@link DtlsConfig#messageTrace()}: {@code null} unless a program asked to see every record. */
    private final MessageTrace trace;
    // Small initial queues: an idle association holds them empty, and they grow on demand.
    private final ArrayDeque<byte[]> outbound = new ArrayDeque<>(INITIAL_QUEUE_CAPACITY);
    private final ArrayDeque<byte[]> inboundApplicationData = new ArrayDeque<>(INITIAL_QUEUE_CAPACITY);
    private final ArrayDeque<EngineEvent> events = new ArrayDeque<>(INITIAL_QUEUE_CAPACITY);
    /** The return routability check (RFC 9853), once the handshake agreed on rrc; {@code null} otherwise. */
    private ReturnRoutability paths;
    /** Whether a protected record of the datagram being processed authenticated (RFC 9853 2 counts only those). */
    private boolean datagramAuthenticated;
    private final List<Record> nextEpochRecords = new ArrayList<>();
    /** Created at the first drop: most associations never drop anything. */
    private EnumMap<DropReason, Long> drops;
    private int nextEpochBytes;
    private int nextSendSeq;
    private int lastPeerSeq = -1;
    private long lastPeerTriggeredRetransmit = Long.MIN_VALUE;
    private Flight lastFlight;
    private long handshakeDeadline;
    private Status status = Status.HANDSHAKING;
    private DtlsSession session;
    private DtlsException failure;
    private int pmtu;
    /** See {@link #allowIpFragmentation(int)}; 0: application records fit the PMTU. */
    private int fragmentedRecordLimit;
    private long retransmissions;
    private boolean closeNotifySent;
    private boolean closeNotifyReceived;
    /** The connection ID we receive on (RFC 9146), empty for none; fixed for the association's life. */
    private final byte[] localConnectionId;
    /** epoch||sequence_number of the newest record that authenticated in a protected epoch, -1 before any. */
    private long newestAuthenticated = -1;
    /** Per received datagram: the newest tls12_cid record that authenticated, and whether it was newest overall. */
    private long datagramCidRecord = -1;
    private boolean datagramCidRecordNewest;
    /** True while records buffered from earlier datagrams are processed: they say nothing about this datagram's source. */
    private boolean processingBuffered;
    /** Whether the datagram being processed starts with a tls12_cid record, so it may come from any address. */
    private boolean datagramRoutedByConnectionId;

    private DtlsEngine(DtlsConfig config, boolean client, int firstPeerSeq, long firstWriteSeq, long now,
            byte[] localConnectionId) {
        this.config = config;
        this.trace = config.messageTrace();
        this.localConnectionId = localConnectionId;
        this.pmtu = config.pmtu();
        this.records = new RecordLayer(ProtocolVersion.DTLS_1_2, firstWriteSeq);
        this.reassembler = new Reassembler(firstPeerSeq, config.reassemblyLimits());
        this.timer = new RetransmitTimer(config.initialRetransmitMillis(), config.maxRetransmitMillis(),
                config.retransmitBackoff(), config.adaptiveRetransmit());
        // Saturated: a timeout of Long.MAX_VALUE means never, not a deadline already past.
        long deadline = now + config.handshakeTimeoutMillis();
        this.handshakeDeadline = deadline < now ? Long.MAX_VALUE : deadline;
        this.handshake = client ? new ClientHandshake(this, config) : new ServerHandshake(this, config);
        // RFC 6347 4.2.2: the server's first message_seq equals the ClientHello's it answers.
        this.nextSendSeq = client ? 0 : firstPeerSeq;
    }

    /** A client association; its first flight (ClientHello) is ready to poll at once. */
    public static DtlsEngine client(DtlsConfig config, long now) {
        return client(config, now, randomConnectionId(config));
    }

    /**
     * A client association that receives on {@code connectionId} if the server negotiates
     * connection IDs (RFC 9146); its length must be {@link DtlsConfig#connectionIdLength()}.
     */
    public static DtlsEngine client(DtlsConfig config, long now, byte[] connectionId) {
        config.requireClientRole();
        checkConnectionIdLength(config, connectionId);
        DtlsEngine engine = new DtlsEngine(config, true, 0, 0, now, connectionId.clone());
        engine.handshake.start(now);
        return engine;
    }

    private static void checkConnectionIdLength(DtlsConfig config, byte[] connectionId) {
        if (connectionId.length != config.connectionIdLength()) {
            throw new IllegalArgumentException("connection ID of " + connectionId.length + " bytes; the configuration says "
                    + config.connectionIdLength());
        }
    }

    /**
     * A server association for a client whose ClientHello passed the {@link CookieExchange};
     * feed that same datagram to {@link #receive} next.
     */
    public static DtlsEngine server(DtlsConfig config, CookieExchange.Accept accepted, long now) {
        return server(config, accepted, now, randomConnectionId(config));
    }

    /**
     * A server association that receives on {@code connectionId} if the client negotiates
     * connection IDs (RFC 9146): a multi-peer server picks IDs unique among its associations.
     * Its length must be {@link DtlsConfig#connectionIdLength()}.
     */
    public static DtlsEngine server(DtlsConfig config, CookieExchange.Accept accepted, long now, byte[] connectionId) {
        config.requireServerCredentials();
        checkConnectionIdLength(config, connectionId);
        return new DtlsEngine(config, false, accepted.messageSeq(), accepted.recordSeq(), now, connectionId.clone());
    }

    /** A fresh random ID of the configured length (RFC 9146 3 leaves the choice to the receiver). */
    public static byte[] randomConnectionId(DtlsConfig config) {
        byte[] cid = new byte[config.connectionIdLength()];
        config.random().nextBytes(cid);
        return cid;
    }

    // ---------------------------------------------------------------- inputs

    public Received receive(byte[] datagram, long now) {
        return receive(datagram, 0, datagram.length, now);
    }

    /**
     * Processes one received datagram. Never throws for anything the peer sent. The result
     * matters only to a caller that tracks the peer's address under connection IDs.
     *
     * <p>The caller's part of RFC 9146 6: a datagram whose first record is a tls12_cid record
     * may be delivered whatever its source (it is routed by our connection ID); any other
     * datagram only when it comes from the peer's current address. In the first kind only
     * records that authenticate under the ID are read.
     */
    public Received receive(byte[] datagram, int offset, int length, long now) {
        return receive(datagram, offset, length, null, now);
    }

    /**
     * Processes one datagram that arrived from {@code path}: the caller's token for its source
     * (typically the {@code InetSocketAddress}), compared with {@code equals}; {@code null}
     * means the peer's current address. With the return routability check (RFC 9853) the
     * engine needs it twice: a path_challenge is answered towards the path it came from
     * ({@link #pollPathDatagram()}), and what authenticates from a candidate path raises the
     * anti-amplification limit for {@link #challengePath}.
     *
     * <p>With rrc agreed, the caller does not move the peer when {@link Received#movesPeerAddress()}
     * says a new source may be its address: it calls {@link #challengePath} with that source, keeps
     * sending to the old address, and moves on {@link EngineEvent.Kind#PATH_VALIDATED}.
     */
    public Received receive(byte[] datagram, int offset, int length, Object path, long now) {
        datagramAuthenticated = false;
        if (paths != null) {
            paths.beginDatagram(path);
        }
        Received received = receiveRecords(datagram, offset, length, now);
        if (v13 != null) {
            datagramAuthenticated = v13.datagramAuthenticated();
        }
        if (paths != null) {
            paths.endDatagram(path, length, datagramAuthenticated);
        }
        if (v13 != null && paths == null && v13.status() == Status.ESTABLISHED && v13.returnRoutabilityCheckAgreed()) {
            // The DTLS 1.3 hellos agreed on rrc and the handshake just completed (RFC 9853 3):
            // the same subprotocol as in DTLS 1.2, over the association's records.
            paths = new ReturnRoutability(this, config, v13.initialRetransmitMillis());
        }
        return received;
    }

    private Received receiveRecords(byte[] datagram, int offset, int length, long now) {
        if (v13 != null) {
            return v13.receive(datagram, offset, length, now);
        }
        if (status == Status.FAILED || (status == Status.CLOSED && closeNotifyReceived)) {
            drop(DropReason.AFTER_CLOSE);
            return Received.NONE;
        }
        datagramCidRecord = -1;
        datagramCidRecordNewest = false;
        // We chose our ID, so we know its length; the peer's datagrams cannot say it (RFC 9146 4).
        RecordCodec.Parsed parsed = RecordCodec.parse(datagram, offset, length, localConnectionId.length);
        if (parsed.malformedTail()) {
            drop(DropReason.MALFORMED_RECORD);
        }
        // Callers route a datagram that starts with a tls12_cid record by the ID, from any
        // address; any other datagram only from the peer's address (RFC 9146 6).
        datagramRoutedByConnectionId = !parsed.records().isEmpty()
                && parsed.records().get(0).contentType() == ContentType.TLS12_CID.code;
        int consumed = 0;
        for (Record record : parsed.records()) {
            if (status == Status.FAILED) {
                break;
            }
            if (v13 != null) {
                // The hello that chose DTLS 1.3 came in an earlier record of this datagram: the
                // rest is DTLS 1.3 records (RFC 9147 4: unified headers after the ServerHello).
                return v13.receive(datagram, offset + consumed, length - consumed, now);
            }
            consumed += record.encodedLength();
            try {
                processRecord(record, now);
            } catch (RuntimeException e) {
                // A bug must cost this association, never the process or the other peers.
                log.error("internal error processing a record; failing the association", e);
                fail(new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "internal error: " + e, e));
                return Received.NONE;
            }
        }
        if (v13 != null && parsed.malformedTail() && consumed < length) {
            // The 1.2 codec stopped at the first unified header; those records are DTLS 1.3's.
            return v13.receive(datagram, offset + consumed, length - consumed, now);
        }
        if (datagramCidRecord < 0) {
            return Received.NONE;
        }
        return new Received((int) (datagramCidRecord >>> 48), datagramCidRecord & Record.MAX_SEQUENCE_NUMBER,
                datagramCidRecordNewest);
    }

    /** Retransmits or fails the handshake, or a path check, when a deadline has passed; harmless to call early. Never throws. */
    public void handleTimeout(long now) {
        if (v13 != null) {
            v13.handleTimeout(now);
            if (v13.status() == Status.ESTABLISHED && paths != null) {
                try {
                    paths.onTimeout(now);
                } catch (RuntimeException e) {
                    log.error("internal error in a path check; failing the association", e);
                    v13.fail(new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "internal error: " + e, e));
                }
            }
            return;
        }
        if (status == Status.HANDSHAKING && now >= handshakeDeadline) {
            failTimeout();
            return;
        }
        if (status == Status.ESTABLISHED && paths != null) {
            try {
                paths.onTimeout(now);
            } catch (RuntimeException e) {
                log.error("internal error in a path check; failing the association", e);
                fail(new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "internal error: " + e, e));
                return;
            }
        }
        if (timer.isArmed() && timer.expired(now) && lastFlight != null) {
            retransmissions++;
            log.debug("retransmitting flight after {} ms of silence", timer.currentMillis());
            if (trace != null) {
                Traces.emit(trace, new MessageTrace.RetransmissionEvent(MessageTrace.RetransmissionEvent.Cause.TIMER,
                        timer.currentMillis(), retransmissions));
            }
            try {
                if (retransmit()) {
                    timer.backOff(now);
                }
            } catch (RuntimeException e) {
                // A bug must cost this association, never the loop that serves the others.
                log.error("internal error retransmitting; failing the association", e);
                fail(new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "internal error: " + e, e));
            }
        }
    }

    /**
     * Queues one application record. DTLS does not fragment application data (RFC 6347
     * 4.1.1): a payload that does not fit one record within the PMTU is refused.
     */
    public void send(byte[] data) throws DtlsException {
        send(data, 0, data.length);
    }

    public void send(byte[] data, int offset, int length) throws DtlsException {
        if (v13 != null) {
            v13.send(data, offset, length);
            return;
        }
        checkSendable(length);
        byte[] record = records.encode(records.writeEpoch(), ContentType.APPLICATION_DATA.code, data, offset, length);
        if (record == null) {
            fail(HandshakeFailure.sequenceNumbersExhausted(records.writeEpoch()));
            throw failure;
        }
        if (trace != null) {
            traceSent(records.writeEpoch(), ContentType.APPLICATION_DATA, record.length);
        }
        outbound.add(record);
    }

    /**
     * {@link #send} for a caller that hands the datagram to its socket at once: the record
     * (one datagram) is protected straight into {@code out} at {@code outOffset} instead of a
     * queued array, so a bulk sender reuses one buffer and the AEAD send path allocates nothing
     * of its own. The caller owns {@code out}; the engine keeps no reference to it.
     *
     * <p>Records must leave in the order they were sealed, so this is only allowed while no
     * datagram is queued ({@link #pollDatagram()} returned {@code null}).
     *
     * @return the record's length in {@code out}
     * @throws IllegalStateException if datagrams are still queued
     * @throws IllegalArgumentException if {@code out} has fewer than {@code length +}
     *     {@link #recordOverhead()} bytes after {@code outOffset}; nothing was sent
     */
    public int sendInto(byte[] data, int offset, int length, byte[] out, int outOffset) throws DtlsException {
        if (!outbound.isEmpty()) {
            throw new IllegalStateException(outbound.size() + " datagrams are queued: poll them before sendInto");
        }
        if (v13 != null) {
            return sendInto13(data, offset, length, out, outOffset);
        }
        checkSendable(length);
        int written = records.encodeInto(records.writeEpoch(), ContentType.APPLICATION_DATA.code, data, offset, length,
                out, outOffset);
        if (written < 0) {
            fail(HandshakeFailure.sequenceNumbersExhausted(records.writeEpoch()));
            throw failure;
        }
        if (trace != null) {
            traceSent(records.writeEpoch(), ContentType.APPLICATION_DATA, written);
        }
        return written;
    }

    /** DTLS 1.3 (RFC 9147) seals in place through its own record layer, as 1.2 does. */
    private int sendInto13(byte[] data, int offset, int length, byte[] out, int outOffset) throws DtlsException {
        if (out.length - outOffset < length + recordOverhead()) {
            throw new IllegalArgumentException("record of up to " + (length + recordOverhead()) + " bytes does not fit "
                    + (out.length - outOffset) + " bytes of output");
        }
        return v13.sendInto(data, offset, length, out, outOffset);
    }

    /**
     * Most bytes protection adds to an application payload in the current write epoch, header
     * included. For DTLS 1.3 a bound: what the PMTU leaves beside the largest payload.
     */
    public int recordOverhead() {
        if (v13 != null) {
            return Math.max(0, pmtu - v13.maxApplicationDataLength());
        }
        return records.recordOverhead(records.writeEpoch());
    }

    private void checkSendable(int length) throws DtlsException {
        if (status != Status.ESTABLISHED) {
            if (failure != null) {
                throw failure;
            }
            throw new DtlsException(status == Status.HANDSHAKING
                    ? "cannot send application data before the handshake completes"
                    : "cannot send application data: the association is closed");
        }
        int max = maxApplicationDataLength();
        if (length > max) {
            throw new DtlsException("application record of " + length + " bytes exceeds the maximum of " + max
                    + " for PMTU " + pmtu + " (DTLS does not fragment application data); send smaller messages, raise the PMTU, "
                    + "or allow IP fragmentation (allowIpFragmentation)");
        }
    }

    /** Sends close_notify (RFC 5246 7.2.1); the peer's answering close_notify is reported as {@link EngineEvent.Kind#CLOSED}. */
    public void close() {
        if (v13 != null) {
            v13.close();
            settlePathsQuietly();
            return;
        }
        if (status == Status.FAILED || closeNotifySent) {
            return;
        }
        sendFinalAlert(AlertLevel.WARNING, AlertDescription.CLOSE_NOTIFY);
        closeNotifySent = true;
        status = Status.CLOSED;
        timer.disarm();
        settlePathsQuietly();
    }

    // ---------------------------------------------------------------- outputs

    /** The next datagram to send, or {@code null}. */
    public byte[] pollDatagram() {
        return outbound.poll();
    }

    /** The next received application record, or {@code null}. */
    public byte[] pollApplicationData() {
        return inboundApplicationData.poll();
    }

    public EngineEvent pollEvent() {
        return events.poll();
    }

    /**
     * The next datagram for a path other than the peer's current address, or {@code null}:
     * send {@link PathDatagram#datagram()} to {@link PathDatagram#path()}. A path_challenge goes
     * to the candidate (RFC 9853 5.1 step 2), a path_response to the path its challenge came
     * from (5.4). Everything from {@link #pollDatagram()} still goes to the current address.
     */
    public PathDatagram pollPathDatagram() {
        return paths == null ? null : paths.poll();
    }

    /** Absolute time at which {@link #handleTimeout} must be called, or {@link Long#MAX_VALUE} if never. */
    public long nextDeadline() {
        if (v13 != null) {
            return v13.status() == Status.ESTABLISHED && paths != null
                    ? Math.min(v13.nextDeadline(), paths.deadline()) : v13.nextDeadline();
        }
        long deadline = timer.deadline();
        if (status == Status.HANDSHAKING) {
            deadline = Math.min(deadline, handshakeDeadline);
        }
        if (status == Status.ESTABLISHED && paths != null) {
            deadline = Math.min(deadline, paths.deadline());
        }
        return status == Status.FAILED ? Long.MAX_VALUE : deadline;
    }

    public Status status() {
        return v13 != null ? v13.status() : status;
    }

    public boolean isClient() {
        return handshake.isClient();
    }

    /** The agreed parameters once the handshake is complete, else {@code null}. */
    public DtlsSession session() {
        return v13 != null ? v13.session() : session;
    }

    /** Why the association failed, or {@code null}. */
    public DtlsException failure() {
        return v13 != null ? v13.failure() : failure;
    }

    public boolean closeNotifyReceived() {
        return v13 != null ? v13.closeNotifyReceived() : closeNotifyReceived;
    }

    public int pmtu() {
        return pmtu;
    }

    /** Changes the PMTU for everything sent from now on, retransmissions included. */
    public void setPmtu(int pmtu) {
        if (pmtu < DtlsConfig.MIN_PMTU || pmtu > DtlsConfig.MAX_PMTU) {
            throw new IllegalArgumentException("PMTU " + pmtu + " out of range [" + DtlsConfig.MIN_PMTU + ", " + DtlsConfig.MAX_PMTU + "]");
        }
        this.pmtu = pmtu;
        if (v13 != null) {
            v13.setPmtu(pmtu);
        }
    }

    /**
     * Lets {@link #send} take application payloads up to {@code bytes} even when their record
     * does not fit the PMTU: the datagram then leaves IP-fragmented. RFC 6347 4.1.1 has a DTLS
     * implementation refuse a record above the PMTU unless the application asks otherwise;
     * this is the application asking, for one association, for protocols whose messages
     * cannot be split (SIP over UDP, RFC 3261 18.1.1, may send up to 65,535 bytes; one DTLS
     * record carries 2^14). Handshake flights still fit the PMTU. 0 (the default) turns it off.
     *
     * @param bytes 0, or up to 2^14 (RFC 6347 4.1 via RFC 5246 6.2.1); the peer's
     *     record_size_limit (RFC 8449) still bounds it
     */
    public void allowIpFragmentation(int bytes) {
        if (bytes < 0 || bytes > MAX_FRAGMENTED_RECORD_PLAINTEXT) {
            throw new IllegalArgumentException("a fragmented application record holds 0 to " + MAX_FRAGMENTED_RECORD_PLAINTEXT
                    + " bytes, not " + bytes);
        }
        this.fragmentedRecordLimit = bytes;
        if (v13 != null) {
            v13.allowIpFragmentation(bytes);
        }
    }

    /**
     * The largest application payload one record can carry: within the PMTU, or up to what
     * {@link #allowIpFragmentation(int)} allowed.
     */
    public int maxApplicationDataLength() {
        if (v13 != null) {
            return v13.maxApplicationDataLength();
        }
        int max = Math.min(records.maxPlaintextLength(records.writeEpoch()),
                Math.max(pmtu - records.recordOverhead(records.writeEpoch()), fragmentedRecordLimit));
        if (session != null && session.peerRecordSizeLimit() > 0) {
            // RFC 8449 4: never send a record larger than the peer said it can take.
            max = Math.min(max, session.peerRecordSizeLimit());
        }
        return max;
    }

    // ---------------------------------------------------------------- return routability check (RFC 9853)

    /** Whether {@link #challengePath} can work: established, and both hellos carried rrc (RFC 9853 3). */
    public boolean validatesPaths() {
        return paths != null && status() == Status.ESTABLISHED;
    }

    /**
     * Checks that the peer receives on {@code path} before the caller moves it there (RFC 9853
     * 5.1, the basic check, or 5.2, the enhanced one, when {@link DtlsConfig#enhancedPathValidation()};
     * RFC 9146 6 requires some such check). Call it when
     * {@link Received#movesPeerAddress()} names a source other than the peer's address, with
     * the token passed to {@link #receive(byte[], int, int, Object, long)} for that datagram. A
     * path_challenge with a fresh 8-byte cookie goes to {@code path} ({@link #pollPathDatagram()});
     * (the enhanced check first sends one to the peer's current address, {@link #pollDatagram()},
     * and goes on to {@code path} only if that path is gone or dropped); it is repeated on the
     * retransmission timer's schedule, at most
     * {@value PathValidator#MAX_PATH_CHALLENGES} times and within three times the bytes received
     * from {@code path} (RFC 9853 2). The outcome is an event: {@link EngineEvent.Kind#PATH_VALIDATED}
     * (move the peer now) or {@link EngineEvent.Kind#PATH_VALIDATION_FAILED} (leave it). Until
     * then, keep sending to the current address. One path is checked at a time.
     */
    public PathCheck challengePath(Object path, long now) {
        java.util.Objects.requireNonNull(path, "path");
        if (!validatesPaths()) {
            return PathCheck.UNAVAILABLE;
        }
        try {
            return paths.challenge(path, now);
        } catch (RuntimeException e) {
            log.error("internal error sending a path_challenge; failing the association", e);
            fail(new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "internal error: " + e, e));
            return PathCheck.UNAVAILABLE;
        }
    }

    /** The candidate path being checked, or {@code null}. */
    public Object pathBeingValidated() {
        return paths == null ? null : paths.pending();
    }

    /** Return routability checks so far; all zero unless rrc was agreed. */
    public PathValidationCounts pathValidationCounts() {
        return paths == null ? new PathValidationCounts(0, 0, 0, 0) : paths.counts();
    }

    /** The size of one protected return_routability_check record in the current write epoch. */
    int rrcRecordBytes() {
        if (v13 != null) {
            return v13.returnRoutabilityCheckRecordBytes(ReturnRoutabilityCheck.LENGTH);
        }
        return ReturnRoutabilityCheck.LENGTH + records.recordOverhead(records.writeEpoch());
    }

    /**
     * One protected return_routability_check record with {@code body}, or {@code null} when
     * that ended the association (no sequence number left). Package-private for
     * {@link ReturnRoutability}, and for tests that play a peer sending what we never send
     * (path_drop, unknown or malformed messages).
     */
    byte[] rrcRecord(byte[] body) {
        if (v13 != null) {
            return v13.sealReturnRoutabilityCheck(body);
        }
        int epoch = records.writeEpoch();
        byte[] record = records.encode(epoch, ContentType.RETURN_ROUTABILITY_CHECK.code, body, 0, body.length);
        if (record == null) {
            fail(HandshakeFailure.sequenceNumbersExhausted(epoch));
            return null;
        }
        if (trace != null) {
            traceSent(epoch, ContentType.RETURN_ROUTABILITY_CHECK, record.length);
        }
        return record;
    }

    /** Queues a datagram for the peer's current address ({@link #pollDatagram()}). */
    void toPeer(byte[] datagram) {
        outbound.add(datagram);
    }

    /** Queues an event for {@link #pollEvent()}. */
    void report(EngineEvent event) {
        events.add(event);
    }

    /** The association ends: a check in progress ends with it, and nothing more is sent for it. */
    private void settlePathsQuietly() {
        if (paths != null) {
            paths.end();
        }
    }

    /** Reached only when established, in the current epoch (the acceptance table says so). */
    private void processReturnRoutabilityCheck(byte[] plaintext, long now) {
        if (paths == null) {
            // RFC 9853 3: not used unless both hellos carried rrc.
            drop(DropReason.RRC_NOT_NEGOTIATED);
            return;
        }
        if (status() != Status.ESTABLISHED) {
            // We sent close_notify: nothing more is answered (RFC 5246 7.2.1).
            drop(DropReason.AFTER_CLOSE);
            return;
        }
        paths.onMessage(plaintext, now);
    }

    /** The connection ID we receive on (RFC 9146); empty when we use none. Used only if the hellos agree. */
    public byte[] localConnectionId() {
        return localConnectionId.clone();
    }

    /** Discarded records and datagrams by reason (RFC 6347 4.1.2.7 discards silently; we count). */
    public Map<DropReason, Long> drops() {
        if (v13 != null) {
            return v13.drops();
        }
        return drops == null ? Map.of() : Collections.unmodifiableMap(drops);
    }

    public long retransmissions() {
        return v13 != null ? v13.retransmissions() : retransmissions;
    }

    /** The initial retransmission timer in use: configured, or learned with {@link DtlsConfig#adaptiveRetransmit()}. */
    public long initialRetransmitMillis() {
        return v13 != null ? v13.initialRetransmitMillis() : timer.initialMillis();
    }

    /** Bytes held for reassembly and early records: what a hostile peer can make us keep. */
    public int bufferedBytes() {
        if (v13 != null) {
            return v13.bufferedBytes();
        }
        return reassembler.bufferedBytes() + nextEpochBytes;
    }

    // ---------------------------------------------------------------- record processing

    /** Counts a discarded record or datagram (package-private for {@link ReturnRoutability}). */
    void drop(DropReason reason) {
        if (v13 != null) {
            v13.drop(reason); // a DTLS 1.3 association counts its own (drops())
            return;
        }
        if (drops == null) {
            drops = new EnumMap<>(DropReason.class);
        }
        drops.merge(reason, 1L, Long::sum);
        if (log.isTraceEnabled()) {
            log.trace("dropped: {}", reason);
        }
    }

    private void drop(Acceptance.Rule rule) {
        drop(rule.reason());
        if (log.isTraceEnabled()) {
            log.trace("{} record of the {} epoch in state {} discarded: {}", rule.type(), rule.epoch(),
                    handshake.stateName(), rule.rfc());
        }
    }

    /** A discarded record: counted, and reported with its content type as far as it is known. */
    private void drop(Record record, int contentType, DropReason reason) {
        drop(reason);
        if (trace != null) {
            Traces.received(trace, record, contentType, reason);
        }
    }

    private void drop(Record record, int contentType, Acceptance.Rule rule) {
        drop(rule);
        if (trace != null) {
            Traces.received(trace, record, contentType, rule.reason());
        }
    }

    /**
     * One record: its header decides, through the current state's {@link Acceptance} table,
     * whether it is read, held or discarded, before anything in its body is looked at.
     */
    private void processRecord(Record record, long now) {
        currentRecord = record;
        ContentType headerType = ContentType.of(record.contentType());
        if (headerType == null) {
            drop(record, record.contentType(), DropReason.UNKNOWN_CONTENT_TYPE);
            return;
        }
        // RFC 6347 4.1: before the version is agreed a ClientHello may carry DTLS 1.0 in its record.
        boolean versionOk = record.version() == ProtocolVersion.DTLS_1_2
                || (record.epoch() == 0 && record.version() == ProtocolVersion.DTLS_1_0);
        if (!versionOk) {
            drop(record, record.contentType(), DropReason.BAD_VERSION);
            return;
        }
        boolean cidRecord = headerType == ContentType.TLS12_CID;
        if (datagramRoutedByConnectionId && !cidRecord && !processingBuffered) {
            // RFC 9146 6: a datagram led to us by our connection ID may come from any address,
            // and the ID is no secret (it travels in the clear in the hellos). Only what
            // authenticates under it may act; a plaintext record beside it vouches for nothing.
            drop(record, record.contentType(), DropReason.PLAINTEXT_IN_CONNECTION_ID_DATAGRAM);
            return;
        }
        EpochRelation epoch = records.relation(record.epoch());
        if (epoch == EpochRelation.NEXT || epoch == EpochRelation.OTHER) {
            // No keys to read it with; a tls12_cid record's real type is unknown, so these rules
            // are the same for every type.
            Acceptance.Rule rule = handshake.acceptance().rule(epoch, headerType);
            if (rule.action() == Acceptance.Action.BUFFER) {
                bufferNextEpoch(record);
            } else {
                drop(record, record.contentType(), rule);
            }
            return;
        }
        RecordLayer.Opened opened = records.open(record);
        if (opened.drop() != null) {
            drop(record, record.contentType(), opened.drop());
            return;
        }
        if (opened.epoch() > 0) {
            datagramAuthenticated = true;
            noteAuthenticated(record, cidRecord);
        }
        // The real type, from inside the protection for a tls12_cid record (RFC 9146 4).
        ContentType type = cidRecord ? ContentType.of(opened.contentType()) : headerType;
        if (type == null) {
            drop(record, opened.contentType(), DropReason.UNKNOWN_CONTENT_TYPE);
            return;
        }
        Acceptance.Rule rule = handshake.acceptance().rule(epoch, type);
        switch (rule.action()) {
            case PROCESS, REPEATS_ONLY -> {
                if (trace != null) {
                    Traces.received(trace, record, type.code, null);
                }
                switch (type) {
                    case HANDSHAKE -> processHandshake(opened.plaintext(), record.epoch(), rule, now);
                    case CHANGE_CIPHER_SPEC -> processChangeCipherSpec(opened.plaintext(), now);
                    case ALERT -> processAlert(opened.plaintext(), record.epoch());
                    case APPLICATION_DATA -> processApplicationData(opened.plaintext());
                    case RETURN_ROUTABILITY_CHECK -> processReturnRoutabilityCheck(opened.plaintext(), now);
                    // A table that processes another type is wrong; count rather than act on it.
                    default -> drop(DropReason.UNKNOWN_CONTENT_TYPE);
                }
            }
            case BUFFER -> bufferNextEpoch(record);
            case DISCARD -> drop(record, type.code, rule);
        }
    }

    /** RFC 9146 6: remembers the newest authenticated record, which alone may move the peer's address. */
    private void noteAuthenticated(Record record, boolean cidRecord) {
        long epochSeq = Record.epochAndSequence(record.epoch(), record.sequenceNumber());
        boolean newest = epochSeq > newestAuthenticated;
        if (newest) {
            newestAuthenticated = epochSeq;
        }
        if (cidRecord && !processingBuffered && epochSeq > datagramCidRecord) {
            datagramCidRecord = epochSeq;
            datagramCidRecordNewest = newest;
        }
    }

    private void bufferNextEpoch(Record record) {
        if (nextEpochRecords.size() >= MAX_BUFFERED_NEXT_EPOCH_RECORDS
                || nextEpochBytes + record.fragmentLength() > MAX_BUFFERED_NEXT_EPOCH_BYTES) {
            drop(record, record.contentType(), DropReason.NEXT_EPOCH_BUFFER_FULL);
            return;
        }
        // A parsed record is a view into the caller's datagram buffer, which it reuses once
        // receive() returns: a record kept for later owns its bytes.
        nextEpochRecords.add(record.detached());
        nextEpochBytes += record.fragmentLength();
    }

    /**
     * The handshake fragments of one record. Under {@link Acceptance.Action#REPEATS_ONLY} only
     * repeats of messages already processed are read; the message type of each new message is
     * checked against the table before its body is decoded.
     */
    private void processHandshake(byte[] plaintext, int epoch, Acceptance.Rule rule, long now) {
        ByteReader reader = new ByteReader(plaintext);
        while (reader.hasRemaining()) {
            HandshakeFragment fragment;
            try {
                fragment = HandshakeFragment.decode(reader);
            } catch (DecodeException e) {
                drop(DropReason.MALFORMED_HANDSHAKE);
                return;
            }
            if (trace != null) {
                // Behind the next expected message_seq: processed before, so the peer sent it again.
                Traces.fragment(trace, MessageTrace.Direction.RECEIVED, epoch, fragment,
                        fragment.messageSeq() < reassembler.nextExpectedSeq());
            }
            HandshakeType type = HandshakeType.of(fragment.msgType());
            if (type != null && handshake.acceptance().ignores(type)) {
                // Ignored messages take no message_seq (RFC 5246 7.4.1.1, as OpenSSL does), so
                // the message that really holds that number still gets through.
                drop(DropReason.IGNORED_HANDSHAKE_MESSAGE);
                continue;
            }
            if (fragment.messageSeq() < reassembler.nextExpectedSeq()) {
                onPeerRetransmission(fragment, now);
                if (status == Status.FAILED) {
                    return;
                }
                continue;
            }
            if (rule.action() == Acceptance.Action.REPEATS_ONLY) {
                // A new message must arrive in the current epoch: an unencrypted Finished after
                // the peer's ChangeCipherSpec is forged or stale (cf. tinydtls #13).
                drop(rule);
                continue;
            }
            Reassembler.Offer offer = reassembler.offer(fragment);
            switch (offer) {
                case BUFFERED, COMPLETED_NEXT, DUPLICATE -> {
                }
                default -> drop(DropReason.HANDSHAKE_FRAGMENT_REJECTED);
            }
            HandshakeMessage message;
            while (status != Status.FAILED && v13 == null && (message = reassembler.poll()) != null) {
                lastPeerSeq = message.messageSeq();
                dispatch(message, now);
            }
            if (status == Status.FAILED || v13 != null) {
                return;
            }
        }
    }

    private void dispatch(HandshakeMessage message, long now) {
        Acceptance accepts = handshake.acceptance();
        if (!accepts.accepts(message.type())) {
            // RFC 5246 7.2.2: a message the state does not expect is fatal, decided on its type
            // alone; the body of an unexpected message is never decoded.
            fail(new HandshakeFailure(AlertDescription.UNEXPECTED_MESSAGE, "unexpected "
                    + message.type().name().toLowerCase(java.util.Locale.ROOT) + " in state " + handshake.stateName()
                    + ", which accepts " + accepts.messages() + " (" + accepts.messagesRfc() + ")"));
            return;
        }
        try {
            handshake.onMessage(message, now);
        } catch (HandshakeFailure f) {
            fail(f);
        } catch (DecodeException e) {
            // A malformed field the state machine decodes lazily (an extension's body): the
            // peer's fault, so decode_error (RFC 5246 7.2.2), not internal_error and a stack trace.
            fail(new HandshakeFailure(AlertDescription.DECODE_ERROR,
                    "malformed " + message.type().name().toLowerCase(java.util.Locale.ROOT) + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            log.warn("internal error processing {}", message.type(), e);
            fail(new HandshakeFailure(AlertDescription.INTERNAL_ERROR, "internal error: " + e, e));
        }
    }

    /**
     * RFC 6347 4.2.4: seeing the last message of the peer's previous flight again means our
     * answer to it was lost, so resend that answer now rather than wait for our timer.
     */
    private void onPeerRetransmission(HandshakeFragment fragment, long now) {
        if (lastFlight != null && lastFlight.peerTriggerSeq() == fragment.messageSeq()
                && (timer.isArmed() || !lastFlight.awaitsReply())
                && fragment.fragmentOffset() + fragment.fragmentLength() == fragment.length()
                && (lastPeerTriggeredRetransmit == Long.MIN_VALUE
                        || now - lastPeerTriggeredRetransmit >= MIN_PEER_TRIGGERED_RETRANSMIT_MILLIS)) {
            lastPeerTriggeredRetransmit = now;
            retransmissions++;
            if (trace != null) {
                Traces.emit(trace, new MessageTrace.RetransmissionEvent(MessageTrace.RetransmissionEvent.Cause.PEER_REPEAT,
                        timer.currentMillis(), retransmissions));
            }
            if (!retransmit()) {
                return;
            }
            if (timer.isArmed()) {
                timer.restartAfterPeerRetransmission(now);
            }
        }
    }

    /**
     * Reached only in a state whose table processes a ChangeCipherSpec: its epoch and the
     * state were checked first (RFC 6347 4.1.2.7), so a malformed body here is the expected
     * message gone wrong, not a stray one.
     */
    private void processChangeCipherSpec(byte[] plaintext, long now) {
        if (plaintext.length != 1 || plaintext[0] != 1) {
            fail(new HandshakeFailure(AlertDescription.DECODE_ERROR, "malformed ChangeCipherSpec (RFC 5246 7.1: one byte, 1)"));
            return;
        }
        handshake.onChangeCipherSpec();
        List<Record> buffered = new ArrayList<>(nextEpochRecords);
        nextEpochRecords.clear();
        nextEpochBytes = 0;
        processingBuffered = true;
        try {
            for (Record r : buffered) {
                if (status == Status.FAILED) {
                    return;
                }
                processRecord(r, now);
            }
        } finally {
            processingBuffered = false;
        }
    }

    private void processAlert(byte[] plaintext, int epoch) {
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
            if (!closeNotifySent && status != Status.FAILED) {
                // RFC 5246 7.2.1: answer close_notify with close_notify.
                sendFinalAlert(AlertLevel.WARNING, AlertDescription.CLOSE_NOTIFY);
                closeNotifySent = true;
            }
            status = Status.CLOSED;
            timer.disarm();
            events.add(EngineEvent.closed());
            return;
        }
        if (level == AlertLevel.FATAL || level == null) {
            invalidateSession();
            String what = handshake.isComplete() ? "connection failed" : "handshake failed";
            failure = new DtlsException(what + ": received fatal alert " + AlertDescription.nameOf(code),
                    description, true, null);
            status = Status.FAILED;
            timer.disarm();
            events.add(EngineEvent.failed(failure));
            log.debug("{}", failure.getMessage());
            return;
        }
        log.debug("received warning alert {}", AlertDescription.nameOf(code));
        if (description != null) {
            events.add(EngineEvent.warning(description));
        }
    }

    /** Reached only when the handshake is complete and in the current epoch (the table says so). */
    private void processApplicationData(byte[] plaintext) {
        if (status != Status.ESTABLISHED) {
            // We sent close_notify: nothing more is read (RFC 5246 7.2.1).
            drop(DropReason.AFTER_CLOSE);
            return;
        }
        if (inboundApplicationData.size() >= MAX_PENDING_APPLICATION_RECORDS) {
            drop(DropReason.RECEIVE_QUEUE_FULL);
            return;
        }
        if (lastFlight != null && !handshake.isClient()) {
            // Data under the new keys proves the client has our final flight: stop holding it.
            lastFlight = null;
        }
        inboundApplicationData.add(plaintext);
    }

    // ---------------------------------------------------------------- used by the state machines

    /**
     * The hellos chose DTLS 1.3 (RFC 8446 4.2.1, RFC 9147 5.3): a {@link Dtls13Association}
     * takes over, with our message_seq, the reassembler and epoch 0's sequence numbers, and runs
     * {@code hello} (the ServerHello or ClientHello that decided) in its first state.
     */
    void upgradeTo13(java.util.function.Function<Dtls13Association, Dtls13Association.State> first, HandshakeMessage hello,
            long now) {
        long nextPlaintextSeq = records.lastSequenceNumber(0) + 1;
        Dtls13Association a = new Dtls13Association(config, new Dtls13Association.Handover(handshake.isClient(), reassembler,
                nextSendSeq, lastPeerSeq, nextPlaintextSeq, handshakeDeadline, pmtu, outbound,
                inboundApplicationData, events, new RecordNumber(currentRecord.epoch(), currentRecord.sequenceNumber()),
                localConnectionId));
        timer.disarm();
        lastFlight = null;
        v13 = a;
        a.onReturnRoutabilityCheck(this::processReturnRoutabilityCheck);
        a.allowIpFragmentation(fragmentedRecordLimit);
        a.start(first.apply(a));
        a.dispatchFirst(hello, now);
    }

    /**
     * DTLS 1.3 only: sends a KeyUpdate (RFC 8446 4.6.3); our records move to the next epoch once
     * the peer acknowledges it (RFC 9147 8). With {@code requestPeerUpdate} the peer updates its
     * keys too. Drain the outputs afterwards.
     *
     * @return false when no KeyUpdate can be sent now: a DTLS 1.2 association, the handshake not
     *     complete, a KeyUpdate already unacknowledged, or our last flight not yet acknowledged
     */
    public boolean updateKeys(boolean requestPeerUpdate, long now) {
        return v13 != null && v13.updateKeys(requestPeerUpdate, now);
    }

    HandshakeMessage newMessage(HandshakeType type, byte[] body) {
        return new HandshakeMessage(type, nextSendSeq++, body);
    }

    int writeEpoch() {
        return records.writeEpoch();
    }

    void installWriteEpoch(RecordProtection protection) {
        records.installWriteEpoch(protection);
    }

    void installReadEpoch(RecordProtection protection) {
        records.installReadEpoch(protection);
    }

    /** The hellos agreed on connection IDs: protected records use them (RFC 9146 3). */
    void useConnectionIds(byte[] peerConnectionId) {
        records.useConnectionIds(localConnectionId, peerConnectionId);
    }

    /**
     * Whether protected records of {@code suite} carrying a peer connection ID of {@code length}
     * bytes leave room within the PMTU for a handshake fragment with at least one byte of body.
     * The peer chooses the ID, up to 255 bytes, so only the hellos can tell.
     */
    boolean connectionIdFits(CipherSuite suite, int length) {
        return FlightPacker.fragmentRoom(pmtu, FlightPacker.connectionIdOverhead(suite, length)) >= 1;
    }

    /** Sends a new flight; progress resets the retransmission backoff (RFC 6347 4.2.4.1). */
    void sendFlight(List<Flight.Item> items, boolean awaitsReply, long now) {
        lastFlight = new Flight(List.copyOf(items), awaitsReply, lastPeerSeq);
        transmit(lastFlight, false);
        if (awaitsReply) {
            timer.startNewFlight(now);
        } else {
            timer.disarm();
        }
    }

    /** Resends the last flight; false when that ended the association instead. */
    private boolean retransmit() {
        try {
            transmit(lastFlight, true);
            return true;
        } catch (HandshakeFailure f) {
            fail(f);
            return false;
        }
    }

    void handshakeComplete(DtlsSession session) {
        this.session = session;
        // Whoever spoke last keeps its flight only for the peer's repeats; nothing is awaited now.
        timer.disarm();
        status = Status.ESTABLISHED;
        nextEpochRecords.clear();
        nextEpochBytes = 0;
        if (lastFlight != null && lastFlight.awaitsReply()) {
            // The peer's answer completed the handshake, so this flight will never be resent.
            lastFlight = null;
        }
        if (session.returnRoutabilityCheck()) {
            // RFC 9853 5.5: T is 3 round trips when the RTT is known, else 1 s: what the flight
            // timer's initial value is (learned with adaptiveRetransmit, else the configured 1 s).
            paths = new ReturnRoutability(this, config, timer.initialMillis());
        }
        handshake.releaseHandshakeState();
        // Messages buffered past the peer's Finished were never authenticated (they may be
        // plaintext injected mid-handshake): free them rather than act on them now (CVE-2016-2179).
        reassembler.reset(reassembler.nextExpectedSeq());
        if (config.keyLog() != null) {
            config.keyLog().write(session.keyLogLine());
        }
        events.add(EngineEvent.complete(session));
        log.debug("handshake complete: {}", session);
    }

    /** A warning alert inside a handshake step; when no sequence number is left the association ends. */
    void sendWarning(AlertDescription description) {
        ByteWriter out = new ByteWriter(64);
        int epoch = records.writeEpoch();
        if (!records.write(out, epoch, ContentType.ALERT.code, alert(AlertLevel.WARNING, description))) {
            throw HandshakeFailure.sequenceNumbersExhausted(epoch);
        }
        if (trace != null) {
            traceSentAlert(epoch, out.size(), AlertLevel.WARNING, description);
        }
        outbound.add(out.toByteArray());
    }

    // ---------------------------------------------------------------- output

    private static byte[] alert(AlertLevel level, AlertDescription description) {
        return new byte[] {(byte) level.code, (byte) description.code};
    }

    /**
     * The alert that ends the association (fatal, or close_notify): it may use the sequence
     * number kept for it, and it is best effort, so nothing here can throw.
     */
    private void sendFinalAlert(AlertLevel level, AlertDescription description) {
        try {
            ByteWriter out = new ByteWriter(64);
            if (records.writeFinal(out, records.writeEpoch(), alert(level, description))) {
                if (trace != null) {
                    traceSentAlert(records.writeEpoch(), out.size(), level, description);
                }
                outbound.add(out.toByteArray());
            }
        } catch (RuntimeException e) {
            log.warn("could not send the {} alert", description.rfcName(), e);
        }
    }

    /** Writes a flight into datagrams (see {@link FlightPacker}); a HandshakeFailure when it cannot. */
    private void transmit(Flight flight, boolean retransmission) {
        FlightPacker.pack(flight, records, pmtu, outbound::add, trace, retransmission);
    }

    /** Reports a record just written to {@code epoch}, and for an alert the alert. */
    private void traceSent(int epoch, ContentType type, int bytes) {
        Traces.emit(trace, new MessageTrace.RecordEvent(MessageTrace.Direction.SENT, epoch, records.lastSequenceNumber(epoch),
                type.code, bytes, false, null));
    }

    private void traceSentAlert(int epoch, int bytes, AlertLevel level, AlertDescription description) {
        traceSent(epoch, ContentType.ALERT, bytes);
        Traces.emit(trace, new MessageTrace.AlertEvent(MessageTrace.Direction.SENT, epoch, level.code, description.code));
    }

    // ---------------------------------------------------------------- failure

    /**
     * Ends the association at once with a fatal alert, e.g. because a check the application
     * makes after the handshake (a policy, a SIP domain) refused the peer. The session cannot be
     * resumed afterwards (RFC 5246 7.2.2). Nothing happens once the association is closed or
     * failed.
     */
    public void abort(AlertDescription alert, String reason) {
        if (v13 != null) {
            v13.abort(alert, reason);
            settlePathsQuietly();
            return;
        }
        if (status == Status.FAILED || status == Status.CLOSED) {
            return;
        }
        fail(new HandshakeFailure(alert, reason));
    }

    private void fail(HandshakeFailure f) {
        String what = handshake.isComplete() ? "connection failed: " : "handshake failed: ";
        invalidateSession();
        sendFinalAlert(AlertLevel.FATAL, f.alert);
        failure = new DtlsException(what + f.getMessage() + " (sent fatal alert " + f.alert.rfcName() + ")",
                f.alert, false, f.getCause());
        status = Status.FAILED;
        timer.disarm();
        settlePathsQuietly();
        events.add(EngineEvent.failed(failure));
        log.debug("{}", failure.getMessage());
    }

    /**
     * RFC 5246 7.2.2: "any connection terminated with a fatal alert MUST NOT be resumed": the
     * server forgets the session (cached, or being resumed), the client's session stops
     * offering itself. A ticket cannot be recalled; its lifetime bounds it.
     */
    private void invalidateSession() {
        if (session != null) {
            session.invalidate();
        }
        byte[] id = session != null ? session.sessionId() : handshake.sessionId;
        if (!handshake.isClient() && config.sessionCache() != null && id != null && id.length > 0) {
            config.sessionCache().remove(id);
        }
    }

    private void failTimeout() {
        boolean pastHellos = handshake.expectsChangeCipherSpec()
                || drops != null && drops.containsKey(DropReason.BAD_RECORD_MAC);
        if (handshake.suite != null && handshake.suite.keyExchange.usesPsk() && pastHellos) {
            // Both sides derive the keys from the PSK (RFC 4279 2); with different keys each drops
            // the other's Finished as a bad record (RFC 6347 4.1.2.7), so neither ever answers it.
            failure = new DtlsException("handshake failed: the peer answered the hellos but not our Finished within "
                    + config.handshakeTimeoutMillis() + " ms (" + retransmissions + " retransmissions): the two sides "
                    + "most likely hold different pre-shared keys; check the PSK and the identity it is stored under");
        } else {
            failure = new DtlsException("handshake failed: no answer from the peer within "
                    + config.handshakeTimeoutMillis() + " ms (" + retransmissions
                    + " retransmissions); check that the peer is running and reachable, or raise the handshake timeout");
        }
        status = Status.FAILED;
        timer.disarm();
        events.add(EngineEvent.failed(failure));
        log.debug("{}", failure.getMessage());
    }
}

package org.dtlsip.dtls.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.engine.EngineEvent;
import org.dtlsip.dtls.util.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DTLS association over a non-blocking {@link DatagramChannel}: the paper's non-blocking
 * discipline. No call blocks; {@link #handshake()}, {@link #read} and {@link #write} return a
 * {@link Status} saying what they are waiting for ({@code WANT_READ}/{@code WANT_WRITE}, the
 * {@code EAGAIN} of the paper), and the caller owns the timers: it asks {@link #getTimeout()}
 * how long until the next retransmission is due and calls {@link #handleTimeout()} then.
 * Once the handshake is done there is no timer ({@link #NO_TIMEOUT}).
 *
 * <p>The first {@code read}, {@code write} or {@code handshake} sends the ClientHello (client)
 * or starts listening for one (server, see {@link #accept}); after that every call moves the
 * handshake forward as far as the input allows.
 *
 * <h2>An event loop on a {@link java.nio.channels.Selector}</h2>
 * <pre>{@code
 * Selector selector = Selector.open();
 * for (DtlsChannel c : channels) {
 *     c.channel().register(selector, SelectionKey.OP_READ, c);
 * }
 * while (running) {
 *     long timeout = DtlsChannel.NO_TIMEOUT;             // earliest retransmission deadline
 *     for (DtlsChannel c : channels) {
 *         timeout = DtlsChannel.earlier(timeout, c.getTimeout());
 *     }
 *     selector.select(timeout == DtlsChannel.NO_TIMEOUT ? 0 : Math.max(1, timeout));
 *     for (SelectionKey key : selector.selectedKeys()) {
 *         step((DtlsChannel) key.attachment());             // read/handshake until WANT_READ
 *     }
 *     selector.selectedKeys().clear();
 *     for (DtlsChannel c : channels) {
 *         if (c.getTimeout() == 0) {
 *             c.handleTimeout();                            // retransmits the last flight
 *         }
 *         c.channel().keyFor(selector).interestOps(c.interestOps());
 *     }
 * }
 * }</pre>
 * {@code DtlsChannelTest.oneThreadDrivesAThousandConcurrentHandshakes} runs this loop.
 *
 * <h2>What the caller sees</h2>
 * <ul>
 *   <li>{@link Status#OK}: the call did its work (a record was read into the buffer, possibly
 *       zero bytes long, which DTLS allows; a record was queued; the handshake is done).</li>
 *   <li>{@link Status#WANT_READ}: nothing to do until a datagram arrives or
 *       {@link #getTimeout()} elapses.</li>
 *   <li>{@link Status#WANT_WRITE}: the socket's send buffer is full; wait for
 *       {@code OP_WRITE} (see {@link #interestOps()}) and call again with the same data.</li>
 *   <li>{@link Status#CLOSED}: the peer's close_notify arrived (end of stream; records that
 *       arrived before it were all returned first), or this side shut down. {@link #handshake()}
 *       still returns {@link Status#OK} when the handshake completed before the close, even if
 *       the peer's close_notify came in the same datagram as its Finished.</li>
 *   <li>{@link DtlsException}: the association failed: a fatal alert either way or a handshake
 *       timeout; {@link DtlsException#alert()} names the alert. Also for an unexpected exception
 *       inside the association (a bug, a failing random source): it ends this association only,
 *       with internal_error to the peer if that can still be sent, and the message names the
 *       peer and the cause. Every later call throws the same exception; nothing unchecked
 *       escapes, so a loop driving other channels goes on.</li>
 *   <li>Other {@link IOException}s come from the socket as they are, e.g.
 *       {@link java.net.PortUnreachableException} when ICMP says nobody listens at the peer.</li>
 * </ul>
 * Warning alerts (e.g. {@code no_renegotiation}) are not data: they are counted in
 * {@link #warningAlerts()} and remembered in {@link #lastWarningAlert()}.
 *
 * <p>Not thread-safe: one thread drives a channel ({@link DtlsSocket} adds the locking).
 */
public final class DtlsChannel implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DtlsChannel.class);
    /** {@link #getTimeout()} when no timer runs (handshake done, or waiting for a first ClientHello). */
    public static final long NO_TIMEOUT = -1;
    /** Largest UDP payload we receive: any datagram fits. */
    static final int RECEIVE_BUFFER = 65_536;

    /** What a call is waiting for; see the class comment. */
    public enum Status { OK, WANT_READ, WANT_WRITE, CLOSED }

    private final DatagramChannel channel;
    private final DtlsConfig config;
    private final ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
    private final ArrayDeque<ByteBuffer> unsent = new ArrayDeque<>();
    /** Return routability datagrams for an address other than the peer's (RFC 9853): server with connection IDs only. */
    private final ArrayDeque<DtlsEngine.PathDatagram> unsentToPaths = new ArrayDeque<>();
    /** The application record being sent, sealed here by {@link #write}; grows to the largest record written. */
    private byte[] sealed = new byte[0];
    /** {@link #sealed}'s bytes for the socket: direct, so the JDK need not copy a heap buffer per send. */
    private ByteBuffer sendBuffer = ByteBuffer.allocateDirect(0);
    /** A direct record's bytes for a gathering write, which seals from arrays; reused. */
    private byte[] gatherScratch = new byte[0];
    /** How datagrams reach the socket; tests stand in a full send buffer. */
    private DatagramSender sender = DatagramSender.SOCKET;
    /**
     * The plaintext of a record {@link #write} encoded but could not hand to the socket (it
     * returned WANT_WRITE): the caller retries with the same data, and that retry completes the
     * write without encoding it again, as SSL_write's retry does.
     */
    private byte[] pendingWrite;
    /** Why an unexpected exception ended this association (see {@link #guard}); every later call throws it. */
    private DtlsException fault;
    private CookieExchange listening;
    private InetSocketAddress peer;
    /** Server with connection IDs: the channel stays unconnected and the peer may move. */
    private boolean followsConnectionId;
    private long peerAddressChanges;
    private DtlsEngine engine;
    private boolean started;
    private boolean shutdown;
    private byte[] pendingRecord;
    private long warningAlerts;
    private AlertDescription lastWarning;
    private long helloVerifyRequests;

    private DtlsChannel(DatagramChannel channel, DtlsConfig config, InetSocketAddress peer, boolean client)
            throws IOException {
        this.channel = channel;
        this.config = config;
        this.peer = peer;
        channel.configureBlocking(false);
        if (client) {
            engine = DtlsEngine.client(config, now());
        } else {
            config.requireServerCredentials();
            listening = new CookieExchange(config);
        }
    }

    /**
     * Opens a UDP channel connected to {@code server} and a client association over it. Unless
     * the configuration names the server, its certificate must carry the host of
     * {@code server} as the caller wrote it (a name, or an address literal), RFC 9525.
     */
    public static DtlsChannel open(InetSocketAddress server, DtlsConfig config) throws IOException {
        DtlsConfig named = config.forHost(server.getHostString());
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.connect(server);
            return client(channel, named);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * A client association over {@code channel}, which must be connected to the server. Unless
     * the configuration names the server, its certificate must carry the address the channel
     * is connected to (RFC 9525 IP-ID).
     */
    public static DtlsChannel client(DatagramChannel channel, DtlsConfig config) throws IOException {
        if (!channel.isConnected()) {
            throw new IllegalArgumentException("connect the DatagramChannel to the server first");
        }
        InetSocketAddress server = (InetSocketAddress) channel.getRemoteAddress();
        return new DtlsChannel(channel, config.forHost(server.getHostString()), server, true);
    }

    /**
     * A server association over {@code channel}, which must be bound and not connected. Like
     * OpenSSL's {@code DTLSv1_listen}, it answers ClientHellos statelessly with a
     * HelloVerifyRequest (RFC 6347 4.2.1) until one returns a valid cookie, then connects the
     * channel to that client and runs the handshake with it. With connection IDs configured
     * ({@link DtlsConfig#connectionIdLength()} above 0) the channel stays unconnected so that the
     * peer can be followed to a new address (RFC 9146 6, {@link #peer()}). For many peers on one
     * port use {@link DtlsServer}.
     */
    public static DtlsChannel accept(DatagramChannel channel, DtlsConfig config) throws IOException {
        if (channel.isConnected() || channel.getLocalAddress() == null) {
            throw new IllegalArgumentException("accept needs a bound, unconnected DatagramChannel");
        }
        return new DtlsChannel(channel, config, null, false);
    }

    static long now() {
        return System.nanoTime() / 1_000_000;
    }

    /** The smaller of two {@link #getTimeout()} values, treating {@link #NO_TIMEOUT} as infinity. */
    public static long earlier(long a, long b) {
        if (a == NO_TIMEOUT) {
            return b;
        }
        return b == NO_TIMEOUT ? a : Math.min(a, b);
    }

    // ---------------------------------------------------------------- the paper's calls

    /** Moves the handshake forward: {@link Status#OK} once it is complete. */
    public Status handshake() throws IOException {
        return guard("running the handshake", this::handshakeStep);
    }

    private Status handshakeStep() throws IOException {
        Status io = pump();
        if (engine == null) {
            return io == Status.WANT_WRITE ? io : Status.WANT_READ;
        }
        switch (engine.status()) {
            case ESTABLISHED:
                return io == Status.WANT_WRITE ? io : Status.OK;
            case HANDSHAKING:
                return io == Status.WANT_WRITE ? io : Status.WANT_READ;
            case CLOSED:
                if (engine.session() == null) {
                    throw new DtlsException("handshake failed: "
                            + (shutdown ? "closed locally" : "the peer sent close_notify") + " before it completed");
                }
                // The handshake completed and a close followed, e.g. the peer's close_notify right
                // behind its Finished (openssl s_server with nothing to send does that). The
                // handshake still succeeded: the next read reports end of stream, a write CLOSED.
                return io == Status.WANT_WRITE ? io : Status.OK;
            default:
                throw engine.failure();
        }
    }

    /**
     * Reads one record into {@code dst} (datagram boundaries are kept: one call, one record).
     *
     * @throws BufferOverflowException when the record does not fit in {@code dst}; the record
     *         is kept for the next call (make room for {@link #maxApplicationDataLength()})
     */
    public Status read(ByteBuffer dst) throws IOException {
        return guard("reading", () -> readStep(dst));
    }

    private Status readStep(ByteBuffer dst) throws IOException {
        Status s = handshakeFirst(true);
        if (s != Status.OK && s != Status.CLOSED) {
            return s;
        }
        byte[] record = pollRecord();
        if (record == null) {
            return endOfData();
        }
        if (record.length > dst.remaining()) {
            pendingRecord = record;
            throw new BufferOverflowException();
        }
        dst.put(record);
        return Status.OK;
    }

    /** The next record's bytes, or {@code null} with nothing to read (see {@link #endOfData}). */
    byte[] pollRecord() throws IOException {
        if (pendingRecord != null) {
            byte[] r = pendingRecord;
            pendingRecord = null;
            return r;
        }
        return engine == null ? null : guard("taking a received record", engine::pollApplicationData);
    }

    /** Puts back a record the caller had no room for; it is returned next. */
    void unread(byte[] record) {
        pendingRecord = record;
    }

    /** With no record to return: {@link Status#CLOSED}, a failure, or {@link Status#WANT_READ}. */
    Status endOfData() throws DtlsException {
        if (fault != null) {
            throw fault;
        }
        if (engine != null && engine.failure() != null) {
            throw engine.failure();
        }
        if (shutdown || (engine != null && engine.closeNotifyReceived())) {
            return Status.CLOSED;
        }
        return Status.WANT_READ;
    }

    private Status handshakeFirst(boolean reading) throws IOException {
        if (engine != null && engine.status() == DtlsEngine.Status.ESTABLISHED && nothingUnsent()) {
            // Writing does not read: a receive call per record would double the system calls of a
            // sender. Incoming records (data, alerts, the peer's repeats) are handled by read().
            if (reading) {
                pump();
            }
            return Status.OK;
        }
        return handshake();
    }

    /**
     * Sends {@code src}'s remaining bytes as one record. DTLS does not fragment application
     * data (RFC 6347 4.1.1): more than {@link #maxApplicationDataLength()} bytes are refused
     * with a {@link DtlsException} naming the limit. On {@link Status#OK} the record was
     * accepted and {@code src} consumed; on any other status nothing was consumed.
     * {@link Status#WANT_WRITE} may come after the record was encoded, when the socket's send
     * buffer is full: it waits in the channel, and the call repeated with the same data (as
     * the class comment asks) returns OK once it has left, without sending it twice; other data
     * in between is refused with {@link IllegalArgumentException}.
     * {@link Status#CLOSED} once either side sent close_notify (see {@link #closeNotifyReceived()}).
     */
    public Status write(ByteBuffer src) throws IOException {
        if (pendingWrite != null) {
            checkRetry(src);
            return guard("sending", () -> retryWrite(src));
        }
        // guard(), spelled out: a capturing lambda per record is an allocation the bulk path avoids.
        if (fault != null) {
            throw fault;
        }
        try {
            return writeStep(src);
        } catch (BufferOverflowException e) {
            throw e;
        } catch (RuntimeException e) {
            throw fail("sending", e);
        }
    }

    private Status writeStep(ByteBuffer src) throws IOException {
        Status s = handshakeFirst(false);
        if (s != Status.OK) {
            return s;
        }
        if (engine.status() == DtlsEngine.Status.CLOSED) {
            return Status.CLOSED; // close_notify went one way or the other: nothing more is sent (RFC 5246 7.2.1)
        }
        drain();
        if (!nothingUnsent() && flush() == Status.WANT_WRITE) {
            return Status.WANT_WRITE;
        }
        // Nothing is queued now, so the record may be sealed into this channel's own buffer and
        // sent at once (DtlsEngine.sendInto): no array per record, one reused direct buffer.
        int length = src.remaining();
        int recordLength;
        ensureSendBuffers(length + engine.recordOverhead());
        if (src.hasArray()) {
            recordLength = engine.sendInto(src.array(), src.arrayOffset() + src.position(), length, sealed, 0);
        } else {
            byte[] data = new byte[length];
            src.duplicate().get(data);
            recordLength = engine.sendInto(data, 0, length, sealed, 0);
        }
        sendBuffer.clear();
        sendBuffer.put(sealed, 0, recordLength).flip();
        // A closed channel sends nothing, as flush() does.
        int sent;
        try {
            sent = channel.isOpen() ? sender.send(channel, sendBuffer, peer) : recordLength;
        } catch (IOException e) {
            // As when the record was queued first: it stays queued for the next flush (the socket
            // reports e.g. an earlier ICMP port unreachable on this send, not about this record).
            unsent.add(ByteBuffer.wrap(java.util.Arrays.copyOf(sealed, recordLength)));
            throw e;
        }
        if (sent == 0) {
            // The record holds a sequence number now: it waits in the queue (a copy, since the
            // buffer is reused), the caller must learn that it waits for room, and its retry with
            // the same data must not send it twice.
            unsent.add(ByteBuffer.wrap(java.util.Arrays.copyOf(sealed, recordLength)));
            pendingWrite = new byte[length];
            src.duplicate().get(pendingWrite);
            return Status.WANT_WRITE;
        }
        src.position(src.limit());
        return Status.OK;
    }

    /**
     * Gathering write (issue 17): each buffer's remaining bytes are one application record, and
     * records are packed into datagrams of up to the PMTU, several per datagram, as RFC 6347
     * 4.1.1 and RFC 9147 4.3 allow (every record carries its length), so N small records cost
     * fewer than N system calls. Records longer than {@link #maxApplicationDataLength()} are
     * refused with a {@link DtlsException} before any is sent.
     *
     * <p>Non-blocking: when the socket's send buffer is full the datagram that could not leave
     * waits in the channel and the call returns {@link Status#WANT_WRITE} with the records
     * accepted so far, its own included; they are consumed and will leave once, in order. The
     * caller offers the rest (from {@code records[accepted]}) once {@link #interestOps()} says
     * OP_WRITE. Other statuses accept nothing. A send error is thrown after the records of the
     * datagram it hit were consumed and queued, as with {@link #write(ByteBuffer)}.
     *
     * @throws IllegalStateException if a {@link #write(ByteBuffer)} that returned WANT_WRITE was
     *     not repeated yet
     */
    public GatheredWrite write(ByteBuffer[] records) throws IOException {
        if (pendingWrite != null) {
            throw new IllegalStateException("a write of " + pendingWrite.length + " bytes returned WANT_WRITE: call "
                    + "write(ByteBuffer) again with the same data before a gathering write");
        }
        if (fault != null) {
            throw fault;
        }
        try {
            return gatherStep(records);
        } catch (BufferOverflowException e) {
            throw e;
        } catch (RuntimeException e) {
            throw fail("sending", e);
        }
    }

    private GatheredWrite gatherStep(ByteBuffer[] records) throws IOException {
        Status s = handshakeFirst(false);
        if (s != Status.OK) {
            return new GatheredWrite(s, 0);
        }
        if (engine.status() == DtlsEngine.Status.CLOSED) {
            return new GatheredWrite(Status.CLOSED, 0);
        }
        int max = engine.maxApplicationDataLength();
        for (int i = 0; i < records.length; i++) {
            if (records[i].remaining() > max) {
                throw new DtlsException("record " + i + " of " + records[i].remaining() + " bytes exceeds the maximum of "
                        + max + " for PMTU " + engine.pmtu() + " (DTLS does not fragment application data); nothing "
                        + "was sent: split it, or raise the PMTU");
            }
        }
        int overhead = engine.recordOverhead();
        // The largest datagram the engine would send for one record: packing never exceeds it.
        // With IP fragmentation allowed one record may exceed the PMTU; packing stops at it.
        int datagram = Math.min(max + overhead, engine.pmtu());
        ensureSendBuffers(max + overhead);
        int accepted = 0;
        while (accepted < records.length) {
            drain();
            if (!nothingUnsent() && flush() == Status.WANT_WRITE) {
                return new GatheredWrite(Status.WANT_WRITE, accepted);
            }
            int used = 0;
            int packed = 0;
            while (accepted + packed < records.length) {
                ByteBuffer src = records[accepted + packed];
                if (used > 0 && used + src.remaining() + overhead > datagram) {
                    break;
                }
                used += sealInto(src, used);
                packed++;
                // A KeyUpdate the AEAD limit made due (DTLS 1.3) is queued in the engine; it
                // leaves with the next flush, the engine's sendInto needs its queue empty.
                drain();
            }
            sendBuffer.clear();
            sendBuffer.put(sealed, 0, used).flip();
            int sent;
            try {
                sent = channel.isOpen() ? sender.send(channel, sendBuffer, peer) : used;
            } catch (IOException e) {
                unsent.add(ByteBuffer.wrap(java.util.Arrays.copyOf(sealed, used)));
                consume(records, accepted, packed);
                throw e;
            }
            consume(records, accepted, packed);
            accepted += packed;
            if (sent == 0) {
                // Sealed, so numbered: the datagram waits as a copy (the buffer is reused).
                unsent.add(ByteBuffer.wrap(java.util.Arrays.copyOf(sealed, used)));
                return new GatheredWrite(Status.WANT_WRITE, accepted);
            }
        }
        return new GatheredWrite(Status.OK, accepted);
    }

    /** Seals {@code src}'s remaining bytes as one record at {@code offset} of {@link #sealed}; its length. */
    private int sealInto(ByteBuffer src, int offset) throws DtlsException {
        int length = src.remaining();
        if (src.hasArray()) {
            return engine.sendInto(src.array(), src.arrayOffset() + src.position(), length, sealed, offset);
        }
        if (gatherScratch.length < length) {
            gatherScratch = new byte[length];
        }
        src.duplicate().get(gatherScratch, 0, length);
        return engine.sendInto(gatherScratch, 0, length, sealed, offset);
    }

    private static void consume(ByteBuffer[] records, int from, int count) {
        for (int i = from; i < from + count; i++) {
            records[i].position(records[i].limit());
        }
    }

    /**
     * Grows the buffers a record is sealed in and sent from to hold {@code recordLength} bytes.
     * They belong to this channel alone and hold only ciphertext that has been sent (or copied
     * to the queue): nothing of the caller's is kept in them.
     */
    private void ensureSendBuffers(int recordLength) {
        if (sealed.length < recordLength) {
            sealed = new byte[recordLength];
            sendBuffer = ByteBuffer.allocateDirect(recordLength);
        }
    }

    /** A retry of a write that returned WANT_WRITE must bring the same data. */
    private void checkRetry(ByteBuffer src) {
        if (src.remaining() != pendingWrite.length || !src.duplicate().equals(ByteBuffer.wrap(pendingWrite))) {
            throw new IllegalArgumentException("a write of " + pendingWrite.length + " bytes returned WANT_WRITE and is "
                    + "queued; call write again with the same data (not " + src.remaining() + " other bytes) once "
                    + "interestOps() says OP_WRITE");
        }
    }

    /** The caller's retry of a write that returned WANT_WRITE: OK once that record has left. */
    private Status retryWrite(ByteBuffer src) throws IOException {
        if (flush() == Status.WANT_WRITE) {
            return Status.WANT_WRITE;
        }
        pendingWrite = null;
        src.position(src.limit());
        return Status.OK;
    }

    /** {@link #write(ByteBuffer)} of a whole array. */
    public Status write(byte[] data) throws IOException {
        return write(ByteBuffer.wrap(data));
    }

    /**
     * Milliseconds until {@link #handleTimeout()} is due: 0 when it is due now,
     * {@link #NO_TIMEOUT} when no timer runs (nothing sent yet, the handshake is done, or a
     * server still waits for its first ClientHello).
     */
    public long getTimeout() {
        long deadline = deadline();
        if (deadline == Long.MAX_VALUE) {
            return NO_TIMEOUT;
        }
        return Math.max(0, deadline - now());
    }

    /** When {@link #handleTimeout()} is due, on the clock of {@link #now()}; {@link Long#MAX_VALUE} for never. */
    long deadline() {
        return engine == null || !started || fault != null ? Long.MAX_VALUE : engine.nextDeadline();
    }

    /**
     * Retransmits the last flight if its timer expired, or fails the handshake at its
     * deadline; harmless when nothing is due.
     *
     * @throws DtlsException when the handshake deadline passed
     */
    public Status handleTimeout() throws IOException {
        return guard("retransmitting", () -> {
            if (engine == null) {
                return Status.WANT_READ;
            }
            engine.handleTimeout(now());
            drain();
            return handshakeStep();
        });
    }

    /**
     * Sends close_notify (once) and reports whether the peer's has arrived: {@link Status#OK}
     * when it has, {@link Status#WANT_READ} while waiting for it. Waiting is optional (RFC 5246
     * 7.2.1); bound it with your own timer and then {@link #close()}.
     */
    public Status shutdown() throws IOException {
        return guard("closing", this::shutdownStep);
    }

    private Status shutdownStep() throws IOException {
        if (!shutdown) {
            shutdown = true;
            if (engine != null) {
                engine.close();
                drain();
            }
        }
        Status io = pump();
        if (io == Status.WANT_WRITE) {
            return io;
        }
        return engine == null || engine.closeNotifyReceived() || engine.failure() != null
                ? Status.OK : Status.WANT_READ;
    }

    /** Sends close_notify if not yet sent, without waiting, and closes the UDP channel. */
    @Override
    public void close() throws IOException {
        try {
            if (!shutdown && channel.isOpen() && fault == null) {
                shutdown = true;
                if (engine != null) {
                    guard("closing", () -> {
                        engine.close();
                        drain();
                        return flush();
                    });
                }
            }
        } finally {
            channel.close();
        }
    }

    // ---------------------------------------------------------------- fault isolation

    /** One step into the engine or the socket, which may throw the caller's IOException. */
    @FunctionalInterface
    private interface Step<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code step}, turning an unexpected exception (a bug, a failing provider or random
     * source) into the end of this association only: the peer gets internal_error if it can
     * still be sent (RFC 5246 7.2.2), the caller a {@link DtlsException} naming the peer and the
     * cause, now and on every later call; the log gets it once. Nothing unchecked escapes, so an
     * event loop driving other channels goes on. The caller's own mistakes (a buffer too small)
     * are its to see.
     */
    private <T> T guard(String doing, Step<T> step) throws IOException {
        if (fault != null) {
            throw fault;
        }
        try {
            return step.run();
        } catch (BufferOverflowException e) {
            throw e;
        } catch (RuntimeException e) {
            throw fail(doing, e);
        }
    }

    private DtlsException fail(String doing, RuntimeException cause) {
        boolean alertSent = false;
        if (engine != null) {
            try {
                engine.abort(AlertDescription.INTERNAL_ERROR, "internal error while " + doing + ": " + cause);
                drain();
                alertSent = !unsent.isEmpty() && flush() == Status.OK;
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
        unsent.clear();
        unsentToPaths.clear();
        String who = peer == null ? "a client not yet known" : Addresses.format(peer);
        fault = new DtlsException("internal error in the DTLS association with " + who + " while " + doing + ": " + cause
                + "; the association is ended" + (alertSent ? " (sent fatal alert internal_error)" : ""),
                AlertDescription.INTERNAL_ERROR, false, cause);
        log.error("internal error in the DTLS association with {} while {}; ending it", who, doing, cause);
        return fault;
    }

    // ---------------------------------------------------------------- I/O

    /** Sends what is queued, receives what is there, runs a due timer, sends again. */
    Status pump() throws IOException {
        return guard("exchanging datagrams", this::pumpStep);
    }

    private Status pumpStep() throws IOException {
        if (!started) {
            started = true;
            drain();
        }
        if (flush() == Status.WANT_WRITE) {
            return Status.WANT_WRITE;
        }
        receiveAvailable();
        if (engine != null && engine.nextDeadline() <= now()) {
            engine.handleTimeout(now());
        }
        drain();
        return flush();
    }

    private void receiveAvailable() throws IOException {
        if (!channel.isOpen()) {
            return;
        }
        while (true) {
            buffer.clear();
            SocketAddress from;
            try {
                from = channel.receive(buffer);
            } catch (PortUnreachableException e) {
                if (engine != null && engine.closeNotifyReceived()) {
                    // The peer closed and went away; ICMP for our answering close_notify says
                    // only that. End of stream stays the caller's news, not this error.
                    return;
                }
                throw e;
            }
            if (from == null) {
                return;
            }
            buffer.flip();
            long t = now();
            if (engine == null) {
                listen((InetSocketAddress) from, t);
            } else if (from.equals(peer)) {
                engine.receive(buffer.array(), 0, buffer.limit(), t);
                drain();
            } else if (followsConnectionId) {
                receiveFromNewAddress((InetSocketAddress) from, t);
            }
        }
    }

    /**
     * A datagram from an address other than the peer's, on an unconnected server channel: the
     * peer moves there only as {@link PeerAddressRule} allows (RFC 9146 6) and, with rrc agreed,
     * once it answered a path_challenge there (RFC 9853), the rule {@link DtlsServer} follows
     * too; anything else is dropped by the engine or here.
     */
    private void receiveFromNewAddress(InetSocketAddress from, long t) {
        if (!PeerAddressRule.mayArriveFromElsewhere(buffer.array(), buffer.limit(), config.connectionIdLength())) {
            return; // not for this association: a single-peer server answers no one else
        }
        boolean settled = PeerAddressRule.settled(engine.status());
        DtlsEngine.Received received = engine.receive(buffer.array(), 0, buffer.limit(), from, t);
        // One association per channel: no other live association can hold the new address.
        if (settled && PeerAddressRule.moves(received, peer, from, false)) {
            if (PeerAddressRule.checksFirst(engine)) {
                // RFC 9853: a path_challenge to the new address; the peer moves on its answer (drain).
                engine.challengePath(from, t);
            } else {
                peerAddressChanges++;
                peer = from;
            }
        }
        drain();
    }

    private void listen(InetSocketAddress from, long t) throws IOException {
        CookieExchange.Verdict verdict;
        try {
            verdict = listening.check(buffer.array(), 0, buffer.limit(), PeerIds.of(from), t);
        } catch (RuntimeException e) {
            // No association yet: a datagram that trips a bug costs only itself, not the listening channel.
            log.error("internal error checking a datagram from {} for a cookie; dropped", Addresses.format(from), e);
            return;
        }
        if (verdict instanceof CookieExchange.Reply reply) {
            helloVerifyRequests++;
            channel.send(ByteBuffer.wrap(reply.datagram()), from);
        } else if (verdict instanceof CookieExchange.Accept accept) {
            // With connection IDs the peer may come back from another address (RFC 9146 6), which
            // a connected channel would never let through; without them, connect as usual.
            followsConnectionId = config.connectionIds() && config.connectionIdLength() > 0;
            if (!followsConnectionId) {
                channel.connect(from);
            }
            peer = from;
            listening = null;
            engine = DtlsEngine.server(config, accept, t);
            engine.receive(buffer.array(), 0, buffer.limit(), t);
            drain();
        }
    }

    private void drain() {
        if (engine == null) {
            return;
        }
        byte[] datagram;
        while ((datagram = engine.pollDatagram()) != null) {
            unsent.add(ByteBuffer.wrap(datagram));
        }
        DtlsEngine.PathDatagram toPath;
        while ((toPath = engine.pollPathDatagram()) != null) {
            unsentToPaths.add(toPath);
        }
        EngineEvent event;
        while ((event = engine.pollEvent()) != null) {
            if (event.kind() == EngineEvent.Kind.WARNING_ALERT) {
                warningAlerts++;
                lastWarning = event.alert();
            } else if (event.kind() == EngineEvent.Kind.PATH_VALIDATED && followsConnectionId) {
                // RFC 9853 5.1 step 4: the peer answered at the new address; it moves there.
                peerAddressChanges++;
                peer = (InetSocketAddress) event.path();
            }
        }
    }

    private boolean nothingUnsent() {
        return unsent.isEmpty() && unsentToPaths.isEmpty();
    }

    private Status flush() throws IOException {
        while (!unsentToPaths.isEmpty() && channel.isOpen() && !channel.isConnected()) {
            DtlsEngine.PathDatagram next = unsentToPaths.peek();
            if (sender.send(channel, ByteBuffer.wrap(next.datagram()), (InetSocketAddress) next.path()) == 0) {
                return Status.WANT_WRITE;
            }
            unsentToPaths.poll();
        }
        unsentToPaths.clear(); // a connected channel reaches its peer only; none arise there
        while (!unsent.isEmpty()) {
            if (!channel.isOpen()) {
                unsent.clear();
                break;
            }
            ByteBuffer next = unsent.peek();
            int sent = sender.send(channel, next, peer);
            if (sent == 0) {
                return Status.WANT_WRITE;
            }
            unsent.poll();
        }
        return Status.OK;
    }

    // ---------------------------------------------------------------- state

    /** Replaces how datagrams are handed to the socket (tests: a send buffer that is full). */
    void sender(DatagramSender sender) {
        this.sender = sender;
    }

    /** {@code OP_READ}, plus {@code OP_WRITE} while datagrams wait for room in the send buffer. */
    public int interestOps() {
        return nothingUnsent() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE;
    }

    /** The UDP channel, to register with a selector. */
    public DatagramChannel channel() {
        return channel;
    }

    /**
     * The peer, or {@code null} while a server still waits for a cookie-verified ClientHello. On
     * a server with connection IDs it follows the peer to a new address (RFC 9146 6).
     */
    public InetSocketAddress peer() {
        return peer;
    }

    /**
     * Times the peer moved to a new address, proven by a fresh record under our connection ID
     * and, when both hellos agreed on rrc, by its path_response from there (RFC 9853).
     */
    public long peerAddressChanges() {
        return peerAddressChanges;
    }

    public boolean isHandshakeComplete() {
        return engine != null && engine.session() != null;
    }

    /** The agreed parameters once the handshake completed, else {@code null}. */
    public DtlsSession session() {
        return engine == null ? null : engine.session();
    }

    /** The association's engine (drops, retransmissions, status), or {@code null} while listening. */
    public DtlsEngine engine() {
        return engine;
    }

    public boolean closeNotifyReceived() {
        return engine != null && engine.closeNotifyReceived();
    }

    public long warningAlerts() {
        return warningAlerts;
    }

    public AlertDescription lastWarningAlert() {
        return lastWarning;
    }

    /** HelloVerifyRequests sent while listening (server side). */
    public long helloVerifyRequests() {
        return helloVerifyRequests;
    }

    /** The path MTU: no datagram we send is larger. */
    public int pmtu() {
        return engine == null ? config.pmtu() : engine.pmtu();
    }

    /** Sets the path MTU for everything sent from now on, retransmissions included. */
    public void setPmtu(int pmtu) {
        if (engine == null) {
            throw new IllegalStateException("no association yet; set DtlsConfig.pmtu for the first flight");
        }
        engine.setPmtu(pmtu);
    }

    /** The largest record {@link #write} accepts within the current PMTU. */
    public int maxApplicationDataLength() {
        return engine == null ? 0 : engine.maxApplicationDataLength();
    }
}

package org.dtlsip.dtls.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.util.Addresses;

/**
 * A blocking DTLS association: the paper's thread-based discipline. An ordinary UDP program
 * swaps {@code send}/{@code receive} for {@link #write}/{@link #read}; the first read or write
 * runs the handshake (or call {@link #handshake()} to do it up front), and the library
 * retransmits inside the blocked call. One {@code write} is one record and one {@code read}
 * returns one record: datagram boundaries are kept.
 *
 * <h2>What the caller sees</h2>
 * <ul>
 *   <li>{@link #read()} returns the next record's bytes. A zero-length array is a zero-length
 *       record the peer really sent (DTLS allows them), never a control message.</li>
 *   <li>{@link #read()} returns {@code null} at end of stream: the peer's close_notify arrived
 *       (every record received before it was returned first; {@link #peerClosed()} is then
 *       true; we answered with our close_notify), or this socket was closed by
 *       {@link #close()}, e.g. from another thread.</li>
 *   <li>{@link SocketTimeoutException} when no record arrived within {@link #setSoTimeout}
 *       (or a handshake did not finish in it); the socket stays usable, like SO_TIMEOUT.</li>
 *   <li>{@link #handshake()} returns normally once the handshake completed, even when the
 *       peer's close_notify followed at once (the next read returns {@code null}).</li>
 *   <li>{@link DtlsException} when the association failed: a fatal alert received or sent,
 *       a handshake that ran past {@link DtlsConfig#handshakeTimeoutMillis()}, or a write on
 *       a closed association (the message says which side closed it).
 *       {@link DtlsException#alert()} names the alert and
 *       {@link DtlsException#alertReceived()} says who sent it. An unexpected exception inside
 *       the association (a bug, a failing random source) is such a failure too, with
 *       internal_error, naming the peer and the cause. Every later call throws the same
 *       exception; nothing unchecked leaves read, write or handshake.</li>
 *   <li>A write longer than {@link #maxApplicationDataLength()} throws {@link DtlsException}
 *       naming the limit: DTLS never fragments application data (RFC 6347 4.1.1).</li>
 *   <li>Socket errors are thrown as they are, e.g. {@link java.net.PortUnreachableException}
 *       when ICMP reports nobody listening at the peer, or the send error for a datagram the
 *       host refuses as too large (EMSGSIZE).</li>
 *   <li>Warning alerts (e.g. {@code no_renegotiation}) are not data: {@code read} keeps
 *       waiting; see {@link #lastWarningAlert()}.</li>
 * </ul>
 *
 * <p>Thread-safe for one reading thread plus one writing thread (plus {@link #close()} from
 * any thread): one of them waits on the socket at a time and wakes the other.
 */
public final class DtlsSocket implements AutoCloseable {
    /** Bound on waiting for the peer's close_notify after ours (RFC 5246 7.2.1 lets us not wait at all). */
    public static final long DEFAULT_CLOSE_WAIT_MILLIS = 1_000;

    private final DtlsChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final Object lock = new Object();
    private final ReentrantLock ioLock = new ReentrantLock();
    /** Guarded by lock: the interest of the select in progress, 0 when none. */
    private int selectingOps;
    /** Guarded by lock: when the select in progress returns at the latest ({@link Long#MAX_VALUE}: only for I/O). */
    private long selectingUntil = Long.MAX_VALUE;
    private volatile long soTimeoutMillis;
    private volatile long closeWaitMillis = DEFAULT_CLOSE_WAIT_MILLIS;
    private volatile boolean closed;

    private DtlsSocket(DtlsChannel channel) throws IOException {
        this.channel = channel;
        this.selector = Selector.open();
        try {
            this.key = channel.channel().register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            selector.close();
            throw e;
        }
    }

    /** A socket over {@code channel}, which it takes over (tests build the channel themselves). */
    static DtlsSocket over(DtlsChannel channel) throws IOException {
        return new DtlsSocket(channel);
    }

    /** A client socket to {@code server}; the handshake runs on the first read, write or {@link #handshake()}. */
    public static DtlsSocket connect(InetSocketAddress server, DtlsConfig config) throws IOException {
        DtlsChannel c = DtlsChannel.open(server, config);
        try {
            return new DtlsSocket(c);
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    /**
     * A server socket bound to {@code local} that will accept one client: the first read,
     * write or {@link #handshake()} waits for a ClientHello with a valid cookie (answering
     * others statelessly), connects to that client and completes the handshake. Bind to port
     * 0 for any free port ({@link #localAddress()}). With connection IDs configured the socket
     * stays unconnected instead and follows the client to a new address once a fresh record
     * under our ID proves it (RFC 9146 6; {@link #remoteAddress()}). Use {@link DtlsServer} for
     * many peers.
     */
    public static DtlsSocket accept(InetSocketAddress local, DtlsConfig config) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.bind(local);
            return accept(ch, config);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** {@link #accept(InetSocketAddress, DtlsConfig)} over a bound, unconnected channel, which the socket takes over. */
    public static DtlsSocket accept(DatagramChannel bound, DtlsConfig config) throws IOException {
        DtlsChannel c = DtlsChannel.accept(bound, config);
        try {
            return new DtlsSocket(c);
        } catch (IOException e) {
            c.close();
            throw e;
        }
    }

    /** Read timeout in milliseconds, 0 for none (the default): like {@code SO_TIMEOUT}. */
    public void setSoTimeout(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("timeout must be >= 0");
        }
        this.soTimeoutMillis = millis;
    }

    public long getSoTimeout() {
        return soTimeoutMillis;
    }

    /** How long {@link #close()} waits for the peer's close_notify; 0 to not wait. */
    public void setCloseWaitMillis(long millis) {
        this.closeWaitMillis = millis;
    }

    /** Completes the handshake (if not done yet), within {@link #getSoTimeout()}. */
    public void handshake() throws IOException {
        guard(() -> {
            handshakeStep();
            return null;
        });
    }

    private void handshakeStep() throws IOException {
        long until = deadline(soTimeoutMillis);
        while (true) {
            DtlsChannel.Status s;
            synchronized (lock) {
                checkOpen();
                s = channel.handshake();
            }
            switch (s) {
                case OK:
                    // Also when the peer closed right after the handshake: read() then returns null.
                    return;
                default:
                    await(s, until, "handshake did not complete");
            }
        }
    }

    /** Sends {@code data} as one record; runs the handshake first if needed. */
    public void write(byte[] data) throws IOException {
        write(data, 0, data.length);
    }

    public void write(byte[] data, int offset, int length) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(data, offset, length); // the caller's bounds, the caller's exception
        // guard(), spelled out: a capturing lambda per record is an allocation the bulk path avoids.
        try {
            writeStep(src);
        } catch (BufferOverflowException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unexpected(e);
        }
    }

    private void writeStep(ByteBuffer src) throws IOException {
        long until = deadline(soTimeoutMillis);
        while (true) {
            DtlsChannel.Status s;
            synchronized (lock) {
                checkOpen();
                s = channel.write(src);
            }
            switch (s) {
                case OK:
                    return;
                case CLOSED:
                    throw new DtlsException(peerClosed()
                            ? "cannot send application data: the peer closed the association (close_notify received)"
                            : "cannot send application data: this side closed the association (close_notify sent)");
                default:
                    await(s, until, "write did not complete");
            }
        }
    }

    /**
     * Sends each buffer's remaining bytes as one record, packed several to a datagram up to the
     * PMTU ({@link DtlsChannel#write(ByteBuffer[])}); returns once every record was accepted,
     * waiting for room up to {@link #getSoTimeout()}. Every buffer is consumed on return.
     */
    public void write(ByteBuffer[] records) throws IOException {
        try {
            gatherStep(records);
        } catch (BufferOverflowException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unexpected(e);
        }
    }

    private void gatherStep(ByteBuffer[] records) throws IOException {
        long until = deadline(soTimeoutMillis);
        ByteBuffer[] rest = records;
        while (true) {
            GatheredWrite w;
            synchronized (lock) {
                checkOpen();
                w = channel.write(rest);
            }
            if (w.accepted() > 0) {
                rest = java.util.Arrays.copyOfRange(rest, w.accepted(), rest.length);
            }
            switch (w.status()) {
                case OK:
                    return;
                case CLOSED:
                    throw new DtlsException(peerClosed()
                            ? "cannot send application data: the peer closed the association (close_notify received)"
                            : "cannot send application data: this side closed the association (close_notify sent)");
                default:
                    await(w.status(), until, "write did not complete");
            }
        }
    }

    /** The next record, waiting up to {@link #getSoTimeout()}; {@code null} at end of stream. */
    public byte[] read() throws IOException {
        return read(soTimeoutMillis);
    }

    /** {@link #read()} with this call's own timeout (0: wait indefinitely). */
    public byte[] read(long timeoutMillis) throws IOException {
        return guard(() -> readStep(timeoutMillis));
    }

    private byte[] readStep(long timeoutMillis) throws IOException {
        long until = deadline(timeoutMillis);
        while (true) {
            DtlsChannel.Status s;
            synchronized (lock) {
                if (closed) {
                    return null;
                }
                s = channel.isHandshakeComplete() ? channel.pump() : channel.handshake();
                if (channel.isHandshakeComplete()) {
                    byte[] record = channel.pollRecord();
                    if (record != null) {
                        return record;
                    }
                    DtlsChannel.Status end = channel.endOfData();
                    if (end == DtlsChannel.Status.CLOSED) {
                        return null;
                    }
                }
            }
            await(s, until, "no DTLS record arrived");
        }
    }

    /**
     * Reads one record into {@code dst}: its length, or -1 at end of stream.
     *
     * @throws BufferOverflowException when the record does not fit; it is kept for the next read
     */
    public int read(ByteBuffer dst) throws IOException {
        byte[] record = read();
        if (record == null) {
            return -1;
        }
        if (record.length > dst.remaining()) {
            synchronized (lock) {
                channel.unread(record);
            }
            throw new BufferOverflowException();
        }
        dst.put(record);
        return record.length;
    }

    /** A call of the caller's that may throw its IOException. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    /**
     * Nothing unchecked leaves read, write or handshake: the channel already turns a fault in
     * the association into a {@link DtlsException}; what is left (the selector, e.g. a key
     * cancelled by a concurrent close) becomes an IOException naming the peer, or the closed
     * socket's {@link SocketException}.
     */
    private <T> T guard(Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (BufferOverflowException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unexpected(e);
        }
    }

    /** What {@link #guard} throws for an unchecked exception. */
    private IOException unexpected(RuntimeException e) {
        if (closed) {
            return new SocketException("DTLS socket is closed");
        }
        InetSocketAddress peer = remoteAddress();
        return new IOException("internal error in the DTLS socket to "
                + (peer == null ? "a client not yet known" : Addresses.format(peer)) + ": " + e, e);
    }

    /** When a call with {@code timeoutMillis} gives up; {@link Long#MAX_VALUE} for never (0, or a sum past it). */
    private static long deadline(long timeoutMillis) {
        long now = DtlsChannel.now();
        long until = now + timeoutMillis;
        return timeoutMillis == 0 || until < now ? Long.MAX_VALUE : until;
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new SocketException("DTLS socket is closed");
        }
    }

    /**
     * Waits for input, room to send, the engine's next deadline or {@code until}, whichever
     * is first. One thread selects at a time; another caller waits for it to finish a round.
     * A waiting caller wakes the selecting one when that select would not return for what the
     * caller needs: room to send (the select was for input only) or an engine deadline earlier
     * than the select's own. Without that a writer stayed behind a reader's select on a silent
     * peer, i.e. for ever (issue 12 item 11).
     */
    private void await(DtlsChannel.Status want, long until, String what) throws IOException {
        long now = DtlsChannel.now();
        if (now >= until) {
            throw new SocketTimeoutException(what + " within the timeout");
        }
        if (!ioLock.tryLock()) {
            synchronized (lock) {
                // The selecting thread releases ioLock and notifies inside one hold of lock (see
                // the finally below), so if it is still held here its notifyAll is still to come;
                // if not, its round is over and this thread must select itself, not sleep.
                if (!ioLock.isLocked()) {
                    return;
                }
                if ((interestOps(want) & ~selectingOps) != 0 || channel.deadline() < selectingUntil) {
                    selector.wakeup();
                }
                long wait = waitMillis(until);
                if (wait > 0) {
                    try {
                        lock.wait(wait == Long.MAX_VALUE ? 0 : wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for the DTLS peer");
                    }
                }
            }
            return;
        }
        try {
            long wait;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                wait = waitMillis(until);
                selectingOps = interestOps(want);
                selectingUntil = Math.min(until, channel.deadline());
                key.interestOps(selectingOps);
            }
            if (wait == 0) {
                selector.selectNow();
            } else {
                selector.select(wait == Long.MAX_VALUE ? 0 : wait);
            }
            selector.selectedKeys().clear();
            if (Thread.interrupted()) {
                throw new InterruptedIOException("interrupted while waiting for the DTLS peer");
            }
            synchronized (lock) {
                if (!closed) {
                    channel.pump();
                }
            }
        } catch (ClosedSelectorException | ClosedChannelException e) {
            if (!closed) {
                throw e instanceof ClosedChannelException c ? c : new ClosedChannelException();
            }
        } finally {
            synchronized (lock) {
                selectingOps = 0;
                selectingUntil = Long.MAX_VALUE;
                ioLock.unlock();
                lock.notifyAll();
            }
        }
    }

    /** What a select for {@code want} must wake for: input always, room to send whenever anything waits to go out. */
    private int interestOps(DtlsChannel.Status want) {
        return channel.interestOps() | (want == DtlsChannel.Status.WANT_WRITE ? SelectionKey.OP_WRITE : 0);
    }

    /** Milliseconds to wait: until {@code until} or the engine's next deadline; {@link Long#MAX_VALUE} for no bound. */
    private long waitMillis(long until) {
        long wait = until == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, until - DtlsChannel.now());
        long timeout = channel.getTimeout();
        return timeout == DtlsChannel.NO_TIMEOUT ? wait : Math.min(wait, timeout);
    }

    /**
     * Sends close_notify, waits up to {@link #setCloseWaitMillis} for the peer's, and closes the
     * UDP socket; its port can be bound again at once. A concurrent {@link #read()} returns
     * {@code null}. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            long until = DtlsChannel.now() + closeWaitMillis;
            while (true) {
                DtlsChannel.Status s;
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    s = channel.shutdown();
                }
                if (s == DtlsChannel.Status.OK || DtlsChannel.now() >= until) {
                    break;
                }
                try {
                    await(s, until, "close");
                } catch (SocketTimeoutException e) {
                    break;
                }
            }
        } catch (IOException e) {
            // The peer may be gone (e.g. ICMP port unreachable); closing goes on regardless.
        } finally {
            closed = true;
            selector.wakeup();
            boolean locked = false;
            try {
                locked = ioLock.tryLock(Math.max(closeWaitMillis, 100), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                selector.close();
                channel.close();
            } finally {
                if (locked) {
                    ioLock.unlock();
                }
                synchronized (lock) {
                    lock.notifyAll();
                }
            }
        }
    }

    // ---------------------------------------------------------------- state

    /** The agreed parameters once the handshake completed, else {@code null}. */
    public DtlsSession session() {
        synchronized (lock) {
            return channel.session();
        }
    }

    /** Whether the peer's close_notify has arrived. */
    public boolean peerClosed() {
        synchronized (lock) {
            return channel.closeNotifyReceived();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Whether a thread waits in this socket's select right now (tests). */
    boolean selecting() {
        return ioLock.isLocked();
    }

    /** The engine, for diagnostics (drops, retransmissions, status); {@code null} while a server socket still listens. */
    public DtlsEngine engine() {
        synchronized (lock) {
            return channel.engine();
        }
    }

    public AlertDescription lastWarningAlert() {
        synchronized (lock) {
            return channel.lastWarningAlert();
        }
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.channel().getLocalAddress();
    }

    /** The peer, or {@code null} while a server socket still waits for a client. */
    public InetSocketAddress remoteAddress() {
        synchronized (lock) {
            return channel.peer();
        }
    }

    public int pmtu() {
        synchronized (lock) {
            return channel.pmtu();
        }
    }

    /** Sets the path MTU (after the handshake started): no datagram we send exceeds it. */
    public void setPmtu(int pmtu) {
        synchronized (lock) {
            channel.setPmtu(pmtu);
        }
    }

    /** The largest record {@link #write} accepts within the current PMTU. */
    public int maxApplicationDataLength() {
        synchronized (lock) {
            return channel.maxApplicationDataLength();
        }
    }
}

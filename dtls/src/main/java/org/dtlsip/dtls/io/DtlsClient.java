package org.dtlsip.dtls.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.engine.EngineEvent;

/**
 * A blocking DTLS client over a connected {@link DatagramChannel}: {@link #connect} runs the
 * handshake, retransmitting inside the call; then one {@link #send} is one record and one
 * {@link #receive} returns one record. The library runs the timers.
 *
 * <p>What the caller sees: {@link #receive} returns the next record's bytes; {@code null} once
 * the peer sent close_notify; throws {@link SocketTimeoutException} when nothing arrived in
 * time, and {@link DtlsException} when the association failed (e.g. a fatal alert).
 * Safe for one reading thread plus one writing thread.
 */
public final class DtlsClient implements AutoCloseable {
    /** Bound on waiting for the peer's close_notify after ours (RFC 5246 7.2.1 lets us not wait at all). */
    public static final long CLOSE_WAIT_MILLIS = 1_000;
    private static final int RECEIVE_BUFFER = 65_536;

    private final DatagramChannel channel;
    private final Selector selector;
    private final DtlsEngine engine;
    private final ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
    private final Object lock = new Object();
    private final ReentrantLock ioLock = new ReentrantLock();
    private volatile boolean closed;

    private DtlsClient(DatagramChannel channel, Selector selector, DtlsEngine engine) {
        this.channel = channel;
        this.selector = selector;
        this.engine = engine;
    }

    /** Connects and completes the handshake, or throws {@link DtlsException} naming why not. */
    public static DtlsClient connect(InetSocketAddress server, DtlsConfig config) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        Selector selector = null;
        try {
            channel.connect(server);
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            DtlsClient client = new DtlsClient(channel, selector, DtlsEngine.client(config, now()));
            client.awaitHandshake();
            return client;
        } catch (IOException | RuntimeException e) {
            if (selector != null) {
                selector.close();
            }
            channel.close();
            throw e;
        }
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    private void awaitHandshake() throws IOException {
        while (true) {
            synchronized (lock) {
                flush();
                EngineEvent event;
                while ((event = engine.pollEvent()) != null) {
                    if (event.kind() == EngineEvent.Kind.HANDSHAKE_COMPLETE) {
                        return;
                    }
                    if (event.kind() == EngineEvent.Kind.FAILED) {
                        throw event.failure();
                    }
                    if (event.kind() == EngineEvent.Kind.CLOSED) {
                        throw new DtlsException("handshake failed: peer sent close_notify");
                    }
                }
            }
            pump(Long.MAX_VALUE);
        }
    }

    /**
     * Waits for input or the engine's deadline, whichever is first, and feeds the engine. One
     * thread selects at a time; another caller waits for it to finish a round instead.
     */
    private void pump(long until) throws IOException {
        if (!ioLock.tryLock()) {
            synchronized (lock) {
                long wait = Math.min(engine.nextDeadline(), until) - now();
                if (wait > 0) {
                    try {
                        lock.wait(wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for DTLS input");
                    }
                }
            }
            return;
        }
        try {
            if (closed) {
                return;
            }
            long wait;
            synchronized (lock) {
                wait = Math.min(engine.nextDeadline(), until) - now();
            }
            if (wait > 0) {
                selector.select(Math.min(wait, Integer.MAX_VALUE));
                selector.selectedKeys().clear();
            }
            synchronized (lock) {
                long t = now();
                buffer.clear();
                while (channel.receive(buffer) != null) {
                    buffer.flip();
                    engine.receive(buffer.array(), 0, buffer.limit(), t);
                    buffer.clear();
                }
                engine.handleTimeout(t);
                flush();
                lock.notifyAll();
            }
        } catch (ClosedSelectorException | ClosedChannelException e) {
            if (!closed) {
                throw e instanceof ClosedChannelException c ? c : new ClosedChannelException();
            }
        } finally {
            ioLock.unlock();
        }
    }

    private void flush() throws IOException {
        byte[] datagram;
        while ((datagram = engine.pollDatagram()) != null) {
            channel.write(ByteBuffer.wrap(datagram));
        }
    }

    public DtlsSession session() {
        return engine.session();
    }

    /** The engine's record of dropped records, retransmissions and state, for diagnostics. */
    public DtlsEngine engine() {
        return engine;
    }

    /** Sends one application record. */
    public void send(byte[] data) throws IOException {
        synchronized (lock) {
            engine.send(data);
            flush();
        }
    }

    /**
     * The next application record; {@code null} after the peer's close_notify or after
     * {@link #close()} (end of stream, like a socket read returning -1).
     *
     * @throws SocketTimeoutException when none arrived within {@code timeoutMillis}
     * @throws DtlsException when the association failed
     */
    public byte[] receive(long timeoutMillis) throws IOException {
        long until = now() + timeoutMillis;
        while (true) {
            if (closed) {
                return null;
            }
            synchronized (lock) {
                byte[] data = engine.pollApplicationData();
                if (data != null) {
                    return data;
                }
                if (engine.failure() != null) {
                    throw engine.failure();
                }
                if (engine.closeNotifyReceived()) {
                    flush();
                    return null;
                }
            }
            if (now() >= until) {
                throw new SocketTimeoutException("no DTLS record within " + timeoutMillis + " ms");
            }
            pump(until);
        }
    }

    /** Sends close_notify, waits a bounded time for the peer's, and closes the channel. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            synchronized (lock) {
                engine.close();
                flush();
            }
            long until = now() + CLOSE_WAIT_MILLIS;
            while (!engine.closeNotifyReceived() && engine.failure() == null && now() < until) {
                pump(until);
            }
        } finally {
            closed = true;
            selector.wakeup();
            boolean locked = false;
            try {
                locked = ioLock.tryLock(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
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

    /** Whether the peer's close_notify has been seen. */
    public boolean peerClosed() {
        synchronized (lock) {
            return engine.closeNotifyReceived();
        }
    }
}

package org.dtlsip.dtls.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.engine.DtlsSession;

/**
 * A blocking DTLS client that handshakes on {@link #connect}: a thin wrapper over
 * {@link DtlsSocket}, kept for the CLIs and existing callers.
 *
 * <p>What the caller sees: {@link #receive} returns the next record's bytes; {@code null} once
 * the peer sent close_notify or after {@link #close()}; throws {@link SocketTimeoutException}
 * when nothing arrived in time, and {@link DtlsException} when the association failed (e.g. a
 * fatal alert). Safe for one reading thread plus one writing thread.
 */
public final class DtlsClient implements AutoCloseable {
    /** Bound on waiting for the peer's close_notify after ours (RFC 5246 7.2.1 lets us not wait at all). */
    public static final long CLOSE_WAIT_MILLIS = DtlsSocket.DEFAULT_CLOSE_WAIT_MILLIS;

    private final DtlsSocket socket;

    private DtlsClient(DtlsSocket socket) {
        this.socket = socket;
    }

    /** Connects and completes the handshake, or throws {@link DtlsException} naming why not. */
    public static DtlsClient connect(InetSocketAddress server, DtlsConfig config) throws IOException {
        DtlsSocket socket = DtlsSocket.connect(server, config);
        try {
            socket.setCloseWaitMillis(0);
            socket.handshake();
            socket.setCloseWaitMillis(CLOSE_WAIT_MILLIS);
            return new DtlsClient(socket);
        } catch (java.net.PortUnreachableException e) {
            socket.close();
            java.net.PortUnreachableException named = new java.net.PortUnreachableException(
                    "nothing is listening at " + org.dtlsip.dtls.util.Addresses.format(server)
                    + " (ICMP port unreachable); is the server running?");
            named.initCause(e);
            throw named;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The underlying socket. */
    public DtlsSocket socket() {
        return socket;
    }

    public DtlsSession session() {
        return socket.session();
    }

    /** The engine's record of dropped records, retransmissions and state, for diagnostics. */
    public DtlsEngine engine() {
        return socket.engine();
    }

    /** Sends one application record. */
    public void send(byte[] data) throws IOException {
        socket.write(data);
    }

    /** Sends each buffer's remaining bytes as one record, several to a datagram (DtlsSocket#write(ByteBuffer[])). */
    public void send(java.nio.ByteBuffer[] records) throws IOException {
        socket.write(records);
    }

    /**
     * The next application record; {@code null} after the peer's close_notify or after
     * {@link #close()} (end of stream, like a socket read returning -1).
     *
     * @throws SocketTimeoutException when none arrived within {@code timeoutMillis}
     * @throws DtlsException when the association failed
     */
    public byte[] receive(long timeoutMillis) throws IOException {
        return socket.read(Math.max(1, timeoutMillis));
    }

    /** Sends close_notify, waits a bounded time for the peer's, and closes the channel. */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Whether the peer's close_notify has been seen. */
    public boolean peerClosed() {
        return socket.peerClosed();
    }
}

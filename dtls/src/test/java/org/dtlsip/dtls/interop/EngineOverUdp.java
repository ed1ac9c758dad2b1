package org.dtlsip.dtls.interop;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.EngineEvent;

/**
 * Drives one {@link DtlsEngine} over a loopback UDP socket with the real clock, for interop
 * tests of engine features the socket and channel adapters do not carry yet (DTLS 1.3). The
 * server side answers cookie-less hellos through {@link CookieExchange}, as a real server does.
 */
final class EngineOverUdp implements AutoCloseable {
    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramSocket socket;
    private final DtlsConfig config;
    private final CookieExchange cookies;
    private DtlsEngine engine;
    private InetSocketAddress peer;
    private final List<byte[]> received = new ArrayList<>();
    private final List<EngineEvent> events = new ArrayList<>();
    private final List<byte[]> datagramsIn = new ArrayList<>();
    private final List<byte[]> datagramsOut = new ArrayList<>();

    private EngineOverUdp(DatagramSocket socket, DtlsConfig config, DtlsEngine engine, InetSocketAddress peer) {
        this.socket = socket;
        this.config = config;
        this.engine = engine;
        this.peer = peer;
        this.cookies = engine == null ? new CookieExchange(config) : null;
    }

    static long now() {
        return System.nanoTime() / 1_000_000;
    }

    /** A client association to {@code server}; its ClientHello leaves at the first {@link #runUntil}. */
    static EngineOverUdp client(DtlsConfig config, InetSocketAddress server) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0));
        return new EngineOverUdp(socket, config, DtlsEngine.client(config, now()), server);
    }

    /** A server waiting on a free loopback port for one client. */
    static EngineOverUdp server(DtlsConfig config) throws IOException {
        DatagramSocket socket = new DatagramSocket(Interop.loopback(0));
        return new EngineOverUdp(socket, config, null, null);
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    DtlsEngine engine() {
        return engine;
    }

    List<byte[]> received() {
        return received;
    }

    List<EngineEvent> events() {
        return events;
    }

    /** The largest datagram we sent. */
    int maxDatagramSent() {
        int max = 0;
        for (byte[] d : datagramsOut) {
            max = Math.max(max, d.length);
        }
        return max;
    }

    /** The first byte and length of every datagram each way, for failure messages. */
    String wire() {
        StringBuilder b = new StringBuilder("in:");
        for (byte[] d : datagramsIn) {
            b.append(String.format(" %02x/%d", d[0], d.length));
        }
        b.append("; out:");
        for (byte[] d : datagramsOut) {
            b.append(String.format(" %02x/%d", d[0], d.length));
        }
        return b.toString();
    }

    /**
     * Whether a datagram that went the given way started with a DTLS 1.3 unified header with
     * the C bit and {@code cid} right after the first byte (RFC 9147 4, 9): the connection ID on
     * the wire, not only in the session.
     */
    boolean sawConnectionId(boolean received, byte[] cid) {
        for (byte[] d : received ? datagramsIn : datagramsOut) {
            int first = d[0] & 0xff;
            if ((first & 0xe0) == 0x20 && (first & 0x10) != 0 && d.length > cid.length
                    && java.util.Arrays.equals(d, 1, 1 + cid.length, cid, 0, cid.length)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a datagram that went the given way started with a DTLS 1.3 unified header of
     * {@code epoch} (its two low bits, RFC 9147 4): what shows that a KeyUpdate took effect.
     */
    boolean sawEpoch(boolean received, long epoch) {
        for (byte[] d : received ? datagramsIn : datagramsOut) {
            int first = d[0] & 0xff;
            if ((first & 0xe0) == 0x20 && (first & 0x03) == (epoch & 0x03)) {
                return true;
            }
        }
        return false;
    }

    /** Runs the engine until {@code done} holds or {@code timeoutMillis} pass; returns {@code done}'s last answer. */
    boolean runUntil(BooleanSupplier done, long timeoutMillis) throws IOException {
        long until = now() + timeoutMillis;
        byte[] buffer = new byte[MAX_DATAGRAM];
        while (true) {
            flush();
            if (done.getAsBoolean()) {
                return true;
            }
            long now = now();
            if (now >= until) {
                return false;
            }
            long wait = until - now;
            if (engine != null) {
                long deadline = engine.nextDeadline();
                if (deadline <= now) {
                    engine.handleTimeout(now);
                    continue;
                }
                wait = Math.min(wait, deadline - now);
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(wait, Integer.MAX_VALUE)));
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                if (engine != null) {
                    engine.handleTimeout(now());
                }
                continue;
            }
            byte[] datagram = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            datagramsIn.add(datagram);
            InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
            if (engine == null) {
                byte[] id = (from.getAddress().getHostAddress() + ":" + from.getPort()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                CookieExchange.Verdict v = cookies.check(datagram, 0, datagram.length, id, now());
                if (v instanceof CookieExchange.Reply reply) {
                    socket.send(new DatagramPacket(reply.datagram(), reply.datagram().length, from));
                    continue;
                }
                if (!(v instanceof CookieExchange.Accept accept)) {
                    continue;
                }
                engine = DtlsEngine.server(config, accept, now());
                peer = from;
            } else if (!from.equals(peer)) {
                continue;
            }
            engine.receive(datagram, now());
        }
    }

    private void flush() throws IOException {
        if (engine == null) {
            return;
        }
        byte[] d;
        while ((d = engine.pollDatagram()) != null) {
            socket.send(new DatagramPacket(d, d.length, peer));
            datagramsOut.add(d);
        }
        EngineEvent e;
        while ((e = engine.pollEvent()) != null) {
            events.add(e);
        }
        while ((d = engine.pollApplicationData()) != null) {
            received.add(d);
        }
    }

    boolean handshakeDone() {
        return engine != null && engine.status() != DtlsEngine.Status.HANDSHAKING;
    }

    void send(byte[] data) throws IOException {
        engine.send(data);
        flush();
    }

    /** DTLS 1.3: tries to send a KeyUpdate (RFC 9147 8); it leaves with the next {@link #runUntil} step. */
    boolean updateKeysNow(boolean requestPeerUpdate) {
        return engine.updateKeys(requestPeerUpdate, now());
    }

    @Override
    public void close() {
        socket.close();
    }
}

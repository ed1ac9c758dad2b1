package org.dtlsip.dtls.io;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;

/**
 * A deterministic in-memory network around one {@link DtlsServer}: client engines at made-up
 * addresses, a FIFO of datagrams, and a virtual clock advanced by the test. Nothing here
 * touches a socket or the real clock.
 */
final class MemoryNet {
    /** Collects the server's callbacks. */
    static final class Recorder implements DtlsServer.Handler {
        final List<DtlsServer.Association> completed = new ArrayList<>();
        final List<String> closed = new ArrayList<>();
        final Map<InetSocketAddress, List<byte[]>> data = new HashMap<>();
        final List<IOException> sendErrors = new ArrayList<>();
        boolean echo = true;

        @Override
        public void onHandshakeComplete(DtlsServer.Association a) {
            completed.add(a);
        }

        @Override
        public void onData(DtlsServer.Association a, byte[] bytes) {
            data.computeIfAbsent(a.peer(), k -> new ArrayList<>()).add(bytes);
            if (echo) {
                try {
                    a.send(bytes);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }
        }

        @Override
        public void onClosed(DtlsServer.Association a, org.dtlsip.dtls.engine.DtlsException failure) {
            closed.add(a.peer() + ": " + (failure == null ? "close_notify" : failure.getMessage()));
        }

        @Override
        public void onSendError(DtlsServer.Association a, IOException error) {
            sendErrors.add(error);
        }
    }

    private record Packet(InetSocketAddress from, InetSocketAddress to, boolean toServer, byte[] bytes) {
    }

    final Recorder recorder = new Recorder();
    final DtlsServer server;
    final Map<InetSocketAddress, DtlsEngine> clients = new LinkedHashMap<>();
    final Map<InetSocketAddress, Integer> largestToClient = new HashMap<>();
    private final ArrayDeque<Packet> queue = new ArrayDeque<>();
    /** See {@link #raceFirstConnectionIdDatagram}. */
    private InetSocketAddress raceClient;
    private InetSocketAddress raceFrom;
    /** Every datagram each client address sent, in order, for replay by an attacker: only with {@link #recordSent}. */
    final Map<InetSocketAddress, List<byte[]>> sentBy = new HashMap<>();
    /** Whether {@link #sentBy} records (off: measurements of the server's memory must not count it). */
    boolean recordSent;
    private final Map<InetSocketAddress, Integer> mutedAfter = new HashMap<>();
    final Map<InetSocketAddress, IOException> failSendsTo = new HashMap<>();
    /** Addresses whose datagrams make the transport throw a RuntimeException, as a bug would. */
    final java.util.Set<InetSocketAddress> crashSendsTo = new java.util.HashSet<>();
    long now = 1_000_000;
    long datagramsToClients;

    MemoryNet(DtlsConfig serverConfig, ServerLimits limits) {
        server = DtlsServer.inMemory(serverConfig, limits, recorder, (datagram, to) -> {
            IOException e = failSendsTo.get(to);
            if (e != null) {
                throw e;
            }
            if (crashSendsTo.contains(to)) {
                throw new IllegalStateException("transport bug (test) sending to " + to);
            }
            byte[] bytes = new byte[datagram.remaining()];
            datagram.get(bytes);
            largestToClient.merge(to, bytes.length, Math::max);
            datagramsToClients++;
            queue.add(new Packet(null, to, false, bytes));
            return true;
        }, () -> now);
    }

    /** A distinct loopback-range address per client; nothing is ever sent to it (the network is in memory). */
    static InetSocketAddress address(int n) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, (byte) (n >> 16), (byte) (n >> 8), (byte) (n + 1)}),
                    5060);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a client at {@code at} and queues its ClientHello. */
    DtlsEngine client(InetSocketAddress at, DtlsConfig config) {
        DtlsEngine engine = DtlsEngine.client(config, now);
        clients.put(at, engine);
        drain(at, engine);
        return engine;
    }

    /**
     * A client that goes silent once it has sent {@code datagrams} datagrams (2: the first
     * ClientHello and the one with the cookie): a half-open handshake.
     */
    DtlsEngine halfOpenClient(InetSocketAddress at, DtlsConfig config) {
        mutedAfter.put(at, 2);
        return client(at, config);
    }

    private void drain(InetSocketAddress at, DtlsEngine engine) {
        byte[] d;
        while ((d = engine.pollDatagram()) != null) {
            Integer left = mutedAfter.get(at);
            if (left != null) {
                if (left == 0) {
                    continue;
                }
                mutedAfter.put(at, left - 1);
            }
            if (recordSent) {
                sentBy.computeIfAbsent(at, k -> new ArrayList<>()).add(d);
            }
            if (at.equals(raceClient) && (d[0] & 0xf0) == 0x30) {
                // An on-path attacker's copy of the first DTLS 1.3 record with a connection ID, sent first.
                queue.add(new Packet(raceFrom, null, true, d.clone()));
                raceClient = null;
            }
            queue.add(new Packet(at, null, true, d));
        }
    }

    /**
     * A ClientHello from a new client at {@code at} with the cookie the server returned to that
     * address, not delivered: what a handshake attempt that went no further (or an attacker who
     * captured it) leaves for replay. The client that lives at {@code at} sees none of it.
     */
    byte[] helloWithCookie(InetSocketAddress at, DtlsConfig config) {
        DtlsEngine engine = DtlsEngine.client(config, now);
        server.receive(at, engine.pollDatagram(), now);
        Packet verify = null;
        for (java.util.Iterator<Packet> i = queue.iterator(); i.hasNext(); ) {
            Packet p = i.next();
            if (!p.toServer() && p.to().equals(at)) {
                verify = p;
                i.remove();
            }
        }
        if (verify == null) {
            throw new IllegalStateException("the server sent no HelloVerifyRequest to " + at);
        }
        engine.receive(verify.bytes(), now);
        return engine.pollDatagram();
    }

    /**
     * The first datagram the client at {@code client} sends whose first record is a DTLS 1.3
     * unified header with the C bit is delivered twice: first a copy from {@code attacker}.
     */
    void raceFirstConnectionIdDatagram(InetSocketAddress client, InetSocketAddress attacker) {
        raceClient = client;
        raceFrom = attacker;
    }

    /** Delivers everything in flight, and what that provokes, in order. */
    void run() {
        Packet p;
        while ((p = queue.poll()) != null) {
            if (p.toServer()) {
                server.receive(p.from(), p.bytes(), now);
            } else {
                DtlsEngine c = clients.get(p.to());
                Integer left = mutedAfter.get(p.to());
                if (c != null && (left == null || left > 0)) {
                    c.receive(p.bytes(), now);
                    drain(p.to(), c);
                }
            }
        }
    }

    /** Moves the clock, fires every due timer on both sides, delivers. */
    void advance(long millis) {
        long end = now + millis;
        while (true) {
            long next = Math.min(end, server.nextWake());
            for (DtlsEngine c : clients.values()) {
                next = Math.min(next, c.nextDeadline());
            }
            now = Math.max(now, next);
            server.runTimers(now);
            for (Map.Entry<InetSocketAddress, DtlsEngine> e : clients.entrySet()) {
                if (e.getValue().nextDeadline() <= now) {
                    e.getValue().handleTimeout(now);
                    drain(e.getKey(), e.getValue());
                }
            }
            run();
            if (now >= end) {
                return;
            }
        }
    }

    /** Sends {@code data} from a client and delivers. */
    void send(InetSocketAddress from, byte[] data) throws IOException {
        DtlsEngine c = clients.get(from);
        c.send(data);
        drain(from, c);
        run();
    }

    /** Delivers what the client has queued (e.g. after its close()). */
    void deliverFrom(InetSocketAddress from) {
        drain(from, clients.get(from));
        run();
    }

    /** Everything the client has received and not yet taken. */
    List<byte[]> received(InetSocketAddress at) {
        List<byte[]> out = new ArrayList<>();
        byte[] d;
        while ((d = clients.get(at).pollApplicationData()) != null) {
            out.add(d);
        }
        return out;
    }

    /** Connects {@code n} clients at addresses {@code first..first+n-1} and runs their handshakes. */
    List<InetSocketAddress> establish(int first, int n, DtlsConfig config) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
            InetSocketAddress at = address(i);
            client(at, config);
            out.add(at);
        }
        run();
        return out;
    }

    /**
     * The client at {@code from} now sends from {@code to}, as behind a NAT that rebound: what
     * the server still sends to {@code from} is lost.
     */
    void move(InetSocketAddress from, InetSocketAddress to) {
        clients.put(to, clients.remove(from));
    }
}

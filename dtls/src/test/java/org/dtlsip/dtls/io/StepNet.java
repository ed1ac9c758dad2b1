package org.dtlsip.dtls.io;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.ContentType;

/**
 * One client engine against an in-memory {@link DtlsServer}, one datagram at a time, so that a
 * test can act between any two of them (replay something, send a record from elsewhere).
 * Virtual clock; bounded by a step count, never by time.
 */
final class StepNet {
    /** Datagrams per exchange: far more than a handshake needs, so a bug ends the loop, not the test run. */
    static final int MAX_STEPS = 200;

    private record Packet(InetSocketAddress from, byte[] bytes) {
    }

    long now = 1_000_000;
    final MemoryNet.Recorder recorder = new MemoryNet.Recorder();
    final DtlsServer server;
    private final int serverCidLength;
    private final ArrayDeque<Packet> toServer = new ArrayDeque<>();
    private final List<byte[]> toClient = new ArrayList<>();
    /** Every record the server received from the client, in order (what an on-path observer captures). */
    final List<byte[]> captured = new ArrayList<>();

    StepNet(DtlsConfig serverConfig) {
        serverCidLength = serverConfig.connectionIdLength();
        server = DtlsServer.inMemory(serverConfig, ServerLimits.defaults(), recorder, (d, to) -> {
            byte[] b = new byte[d.remaining()];
            d.get(b);
            toClient.add(b);
            return true;
        }, () -> now);
    }

    /** {@link #exchange(DtlsEngine, InetSocketAddress, InetSocketAddress, IntConsumer)} with nothing between datagrams. */
    void exchange(DtlsEngine client, InetSocketAddress from, InetSocketAddress cidFrom) {
        exchange(client, from, cidFrom, n -> { });
    }

    /**
     * Runs {@code client} against the server until both are quiet. Each client datagram is split
     * into records: those under a connection ID are sent from {@code cidFrom}, the others from
     * {@code from}; every reply reaches the client wherever it went. {@code afterEach} runs
     * after the server has received the client's n-th record (1-based).
     */
    void exchange(DtlsEngine client, InetSocketAddress from, InetSocketAddress cidFrom, IntConsumer afterEach) {
        int delivered = 0;
        for (int step = 0; step < MAX_STEPS; step++) {
            byte[] d;
            while ((d = client.pollDatagram()) != null) {
                for (byte[] record : records(d)) {
                    toServer.add(new Packet(record[0] == ContentType.TLS12_CID.code ? cidFrom : from, record));
                }
            }
            Packet p = toServer.poll();
            if (p == null && toClient.isEmpty()) {
                return;
            }
            if (p != null) {
                captured.add(p.bytes());
                server.receive(p.from(), p.bytes(), now);
                afterEach.accept(++delivered);
            }
            List<byte[]> replies = new ArrayList<>(toClient);
            toClient.clear();
            for (byte[] r : replies) {
                client.receive(r, now);
            }
        }
        throw new AssertionError("the exchange did not settle within " + MAX_STEPS + " steps");
    }

    /** What the server sent since the last exchange or call, taken (for a test that plays a client by hand). */
    List<byte[]> takeReplies() {
        List<byte[]> replies = new ArrayList<>(toClient);
        toClient.clear();
        return replies;
    }

    /** The records of a client datagram (the client's records carry the server's connection ID). */
    private List<byte[]> records(byte[] d) {
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while (at + 13 <= d.length) {
            int header = d[at] == ContentType.TLS12_CID.code ? 13 + serverCidLength : 13;
            int length = ((d[at + header - 2] & 0xff) << 8) | (d[at + header - 1] & 0xff);
            int end = Math.min(d.length, at + header + length);
            byte[] r = new byte[end - at];
            System.arraycopy(d, at, r, 0, r.length);
            out.add(r);
            at = end;
        }
        return out;
    }
}

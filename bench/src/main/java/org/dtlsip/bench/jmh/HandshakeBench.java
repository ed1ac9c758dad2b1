package org.dtlsip.bench.jmh;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.dtlsip.bench.Keys;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU of one complete handshake, client and server engines on one thread with no sockets:
 * ClientHello, the stateless cookie exchange ({@link CookieExchange}, as {@code DtlsServer}
 * runs it), the server engine created from the accepted ClientHello, then datagrams passed
 * back and forth until both sides are established. ECDHE-ECDSA-AES128-GCM-SHA256 over P-256.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class HandshakeBench {
    private static final byte[] CLIENT_ID = {127, 0, 0, 1, 0x30, 0x39};

    private DtlsConfig client;
    private DtlsConfig server;
    private CookieExchange cookies;

    @Setup(Level.Trial)
    public void setUp() {
        Keys keys = Keys.generate();
        client = keys.oursClient();
        server = keys.oursServer();
        cookies = new CookieExchange(server);
    }

    @Benchmark
    public DtlsEngine fullHandshake() {
        long now = 0;
        DtlsEngine c = DtlsEngine.client(client, now);
        DtlsEngine s = null;
        ArrayDeque<byte[]> toServer = new ArrayDeque<>();
        ArrayDeque<byte[]> toClient = new ArrayDeque<>();
        drain(c, toServer);
        for (int rounds = 0; rounds < 32; rounds++) {
            byte[] d;
            while ((d = toServer.poll()) != null) {
                if (s == null) {
                    CookieExchange.Verdict v = cookies.check(d, 0, d.length, CLIENT_ID, now);
                    if (v instanceof CookieExchange.Reply reply) {
                        toClient.add(reply.datagram());
                        continue;
                    }
                    if (!(v instanceof CookieExchange.Accept accept)) {
                        continue;
                    }
                    s = DtlsEngine.server(server, accept, now);
                }
                s.receive(d, now);
                drain(s, toClient);
            }
            while ((d = toClient.poll()) != null) {
                c.receive(d, now);
                drain(c, toServer);
            }
            if (s != null && c.status() == DtlsEngine.Status.ESTABLISHED
                    && s.status() == DtlsEngine.Status.ESTABLISHED && toServer.isEmpty()) {
                return c;
            }
        }
        throw new IllegalStateException("handshake did not complete: client " + c.status() + ", server "
                + (s == null ? "none" : s.status()));
    }

    private static void drain(DtlsEngine e, ArrayDeque<byte[]> out) {
        byte[] d;
        while ((d = e.pollDatagram()) != null) {
            out.add(d);
        }
        while (e.pollEvent() != null) {
            // events are not what is measured
        }
    }
}

package org.dtlsip.bench.loss;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.dtlsip.bench.Keys;
import org.dtlsip.bench.Table;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;

/**
 * {@code bin/bench loss}: time to complete a handshake when datagrams are lost, for several
 * retransmission timer settings. Our client and server engines on a simulated network with a
 * virtual clock (no sockets, no sleeping): a fixed one-way delay, each datagram in either
 * direction lost independently with probability p (Bernoulli, {@link SplittableRandom} seeded per
 * handshake: seed = 1,000,003 × loss-in-permille + index, the same seeds for every timer). The
 * server side is what {@code DtlsServer} runs: the stateless {@link CookieExchange}, then a
 * server engine from the accepted ClientHello. Completion time is from the client's first
 * ClientHello until the client's engine reports the handshake complete (it has the server's
 * Finished); a handshake that hits the engine's handshake deadline (45 s) counts as failed and
 * sorts above every completed one in the percentiles.
 */
public final class LossScenario {
    private LossScenario() {
    }

    /** One timer setting: a label and the client/server configuration changes. */
    record Timer(String label, long initialMillis, boolean adaptive) {
        DtlsConfig apply(DtlsConfig c) {
            return c.toBuilder().initialRetransmitMillis(initialMillis).adaptiveRetransmit(adaptive).build();
        }
    }

    static final List<Timer> TIMERS = List.of(new Timer("1 s (RFC 6347)", 1_000, false),
            new Timer("750 ms (paper)", 750, false), new Timer("100 ms (RFC 9147)", 100, false),
            new Timer("adaptive (1 s start)", 1_000, true));

    private record Packet(long at, long seq, boolean toServer, byte[] bytes) {
    }

    private static final long FAILED = Long.MAX_VALUE;

    public static Table run(Keys keys, List<Double> losses, int count, long delayMillis, Path chart) throws Exception {
        Table t = new Table(List.of("timer", "initial_ms", "adaptive", "loss_pct", "handshakes", "failed", "p50_ms",
                "p95_ms", "mean_ms", "datagrams_per_hs"));
        Map<String, double[][]> series = new java.util.LinkedHashMap<>();
        for (Timer timer : TIMERS) {
            DtlsConfig client = timer.apply(keys.oursClient());
            DtlsConfig server = timer.apply(keys.oursServer());
            CookieExchange cookies = new CookieExchange(server);
            double[][] pts = new double[2][losses.size()];
            for (int li = 0; li < losses.size(); li++) {
                double loss = losses.get(li);
                long[] times = new long[count];
                long datagrams = 0;
                int failed = 0;
                for (int i = 0; i < count; i++) {
                    SplittableRandom rnd = new SplittableRandom(1_000_003L * Math.round(loss * 1000) + i);
                    long[] result = handshake(client, server, cookies, rnd, loss, delayMillis);
                    times[i] = result[0];
                    datagrams += result[1];
                    if (result[0] == FAILED) {
                        failed++;
                    }
                }
                java.util.Arrays.sort(times);
                long p50 = percentile(times, 50);
                long p95 = percentile(times, 95);
                double mean = java.util.Arrays.stream(times).filter(x -> x != FAILED).average().orElse(Double.NaN);
                Map<String, String> row = t.row();
                row.put("timer", timer.label());
                row.put("initial_ms", Long.toString(timer.initialMillis()));
                row.put("adaptive", Boolean.toString(timer.adaptive()));
                row.put("loss_pct", Table.f(loss * 100, 0));
                row.put("handshakes", Integer.toString(count));
                row.put("failed", Integer.toString(failed));
                row.put("p50_ms", p50 == FAILED ? "failed" : Long.toString(p50));
                row.put("p95_ms", p95 == FAILED ? "failed" : Long.toString(p95));
                row.put("mean_ms", Table.f(mean, 0) + (failed > 0 ? " (completed)" : ""));
                row.put("datagrams_per_hs", Table.f(datagrams / (double) count, 1));
                pts[0][li] = p50 == FAILED ? Double.NaN : p50 / 1000.0;
                pts[1][li] = p95 == FAILED ? Double.NaN : p95 / 1000.0;
                System.out.printf("   %-22s loss %4.0f%%: p50 %6s ms, p95 %6s ms, failed %d/%d%n", timer.label(),
                        loss * 100, row.get("p50_ms"), row.get("p95_ms"), failed, count);
            }
            series.put(timer.label(), pts);
        }
        if (chart != null) {
            LossChart.write(chart, losses, series, count, delayMillis);
            System.out.println("chart: " + chart);
        }
        return t;
    }

    private static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** One handshake; returns {completion millis or FAILED, datagrams sent by both sides}. */
    static long[] handshake(DtlsConfig clientConfig, DtlsConfig serverConfig, CookieExchange cookies, SplittableRandom rnd,
            double loss, long delay) {
        final long start = 1_000_000;
        long now = start;
        long seq = 0;
        long sent = 0;
        PriorityQueue<Packet> net = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
                : Long.compare(a.seq, b.seq));
        byte[] clientId = {127, 0, 0, 2, 0x4e, 0x20};
        DtlsEngine c = DtlsEngine.client(clientConfig, now);
        DtlsEngine s = null;
        List<byte[]> out = new ArrayList<>();
        while (true) {
            // send what both engines have
            drain(c, out);
            for (byte[] d : out) {
                sent++;
                if (rnd.nextDouble() >= loss) {
                    net.add(new Packet(now + delay, seq++, true, d));
                }
            }
            out.clear();
            if (s != null) {
                drain(s, out);
                for (byte[] d : out) {
                    sent++;
                    if (rnd.nextDouble() >= loss) {
                        net.add(new Packet(now + delay, seq++, false, d));
                    }
                }
                out.clear();
            }
            if (c.status() == DtlsEngine.Status.ESTABLISHED) {
                return new long[] {now - start, sent};
            }
            if (c.status() == DtlsEngine.Status.FAILED || c.status() == DtlsEngine.Status.CLOSED) {
                return new long[] {FAILED, sent};
            }
            long next = c.nextDeadline();
            if (s != null && s.status() == DtlsEngine.Status.HANDSHAKING) {
                next = Math.min(next, s.nextDeadline());
            }
            Packet p = net.peek();
            if (p != null && p.at <= next) {
                net.poll();
                now = p.at;
                if (p.toServer) {
                    if (s == null) {
                        CookieExchange.Verdict v = cookies.check(p.bytes, 0, p.bytes.length, clientId, now);
                        if (v instanceof CookieExchange.Reply reply) {
                            sent++;
                            if (rnd.nextDouble() >= loss) {
                                net.add(new Packet(now + delay, seq++, false, reply.datagram()));
                            }
                            continue;
                        }
                        if (!(v instanceof CookieExchange.Accept accept)) {
                            continue;
                        }
                        s = DtlsEngine.server(serverConfig, accept, now);
                    }
                    s.receive(p.bytes, now);
                } else {
                    c.receive(p.bytes, now);
                }
            } else if (next == Long.MAX_VALUE) {
                return new long[] {FAILED, sent};
            } else {
                now = next;
                if (now >= c.nextDeadline()) {
                    c.handleTimeout(now);
                }
                if (s != null && s.status() == DtlsEngine.Status.HANDSHAKING && now >= s.nextDeadline()) {
                    s.handleTimeout(now);
                }
            }
        }
    }

    private static void drain(DtlsEngine e, List<byte[]> out) {
        byte[] d;
        while ((d = e.pollDatagram()) != null) {
            out.add(d);
        }
        while (e.pollEvent() != null) {
            // status() says what is needed
        }
    }
}

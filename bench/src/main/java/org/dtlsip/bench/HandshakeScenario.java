package org.dtlsip.bench;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Sequential full handshakes on loopback. Latency is what the client's API reports: from
 * before opening the client socket until the client's handshake completed (our
 * {@code DtlsClient.connect}, the JDK client driver, {@code DTLSClientProtocol.connect},
 * Scandium's connection listener, {@code SSL_connect}). Handshakes/s divides the measured count
 * by the loop's wall time, which also includes closing each association. Then a few handshakes
 * go through a {@link CountingRelay} for bytes, datagrams and the time between the first
 * ClientHello and the last handshake datagram as seen on the wire. {@code first_ms} is the
 * contender's first handshake in this JVM, before any warm-up: a cold start only for the first
 * contender of a run (the others find shared JDK classes loaded and partly compiled).
 */
final class HandshakeScenario {
    private HandshakeScenario() {
    }

    static Table run(Keys keys, List<String> impls, int warmup, int count, int relayCount) throws Exception {
        Table t = new Table(BenchMain.columns("impl", "first_ms", "p50_ms", "p90_ms", "p99_ms", "mean_ms",
                "handshakes_per_s", "wire_p50_ms", "wire_p90_ms", "bytes", "datagrams", "bytes_c2s", "bytes_s2c",
                "flights", "round_trips", "ours_p50_ratio", "ours_hs_ratio",
                "ours_bytes_ratio"));
        for (String impl : impls) {
            System.out.println("-- " + impl + ": " + warmup + " warm-up, " + count + " measured, " + relayCount
                    + " through the relay");
            try (Contender c = BenchMain.create(impl, keys)) {
                InetSocketAddress server = c.startServer();
                long[] samples;
                long total;
                long first;
                if (c instanceof ExternalClient ext && ext.runsClient()) {
                    first = ext.handshakes(server, 0, 1).nanos()[0];
                    ExternalClient.Handshakes h = ext.handshakes(server, warmup, count);
                    samples = h.nanos();
                    total = h.totalNanos();
                } else {
                    long coldStart = System.nanoTime();
                    Contender.Connection firstConnection = c.connect(server);
                    first = System.nanoTime() - coldStart;
                    firstConnection.close();
                    for (int i = 0; i < warmup; i++) {
                        c.connect(server).close();
                    }
                    samples = new long[count];
                    long start = System.nanoTime();
                    for (int i = 0; i < count; i++) {
                        long t0 = System.nanoTime();
                        Contender.Connection conn = c.connect(server);
                        samples[i] = System.nanoTime() - t0;
                        conn.close();
                    }
                    total = System.nanoTime() - start;
                }
                Stats s = new Stats(samples);
                Map<String, String> row = t.row();
                row.put("impl", impl);
                row.put("first_ms", Table.f(Stats.millis(first), 3));
                row.put("p50_ms", Table.f(Stats.millis(s.median()), 3));
                row.put("p90_ms", Table.f(Stats.millis(s.percentile(90)), 3));
                row.put("p99_ms", Table.f(Stats.millis(s.percentile(99)), 3));
                row.put("mean_ms", Table.f(Stats.millis((long) s.mean()), 3));
                row.put("handshakes_per_s", Table.f(s.count() / (total / 1e9), 0));
                row.put("_p50", Long.toString(s.median()));
                row.put("_hs", Double.toString(s.count() / (total / 1e9)));
                relay(c, server, relayCount, row);
                System.out.println("   p50 " + row.get("p50_ms") + " ms, p99 " + row.get("p99_ms") + " ms, "
                        + row.get("handshakes_per_s") + " handshakes/s, " + row.get("bytes") + " bytes in "
                        + row.get("datagrams") + " datagrams, " + row.get("round_trips") + " round trips");
            } catch (Exception e) {
                System.out.println("   " + impl + " failed: " + e);
                e.printStackTrace(System.out);
            }
        }
        ratios(t);
        return t;
    }

    private static void relay(Contender c, InetSocketAddress server, int n, Map<String, String> row) throws Exception {
        if (n <= 0) {
            return;
        }
        try (CountingRelay relay = new CountingRelay(server)) {
            InetSocketAddress via = relay.address();
            if (c instanceof ExternalClient ext && ext.runsClient()) {
                ext.handshakes(via, 0, n);
            } else {
                for (int i = 0; i < n; i++) {
                    c.connect(via).close();
                }
            }
            Thread.sleep(100);
            List<CountingRelay.Observation> obs = relay.observations();
            if (obs.isEmpty()) {
                return;
            }
            long[] bytes = obs.stream().mapToLong(CountingRelay.Observation::bytes).toArray();
            long[] dgrams = obs.stream().mapToLong(CountingRelay.Observation::datagrams).toArray();
            long[] wire = obs.stream().mapToLong(CountingRelay.Observation::wireNanos).toArray();
            long[] c2s = obs.stream().mapToLong(o -> o.bytesToServer).toArray();
            long[] s2c = obs.stream().mapToLong(o -> o.bytesToClient).toArray();
            long[] flights = obs.stream().mapToLong(CountingRelay.Observation::flights).toArray();
            long[] trips = obs.stream().mapToLong(CountingRelay.Observation::roundTrips).toArray();
            Stats b = new Stats(bytes);
            row.put("bytes", Long.toString(b.median()));
            row.put("datagrams", Long.toString(new Stats(dgrams).median()));
            row.put("bytes_c2s", Long.toString(new Stats(c2s).median()));
            row.put("bytes_s2c", Long.toString(new Stats(s2c).median()));
            row.put("flights", Long.toString(new Stats(flights).median()));
            row.put("round_trips", Long.toString(new Stats(trips).median()));
            row.put("wire_p50_ms", Table.f(Stats.millis(new Stats(wire).median()), 3));
            row.put("wire_p90_ms", Table.f(Stats.millis(new Stats(wire).percentile(90)), 3));
            if (b.min() != b.percentile(100)) {
                System.out.println("   note: handshake bytes varied from " + b.min() + " to " + b.percentile(100)
                        + " over " + obs.size() + " handshakes (ECDSA signature lengths vary by a byte or two)");
            }
        }
    }

    private static void ratios(Table t) {
        Map<String, String> ours = t.rows().stream().filter(r -> r.get("impl").equals("ours")).findFirst().orElse(null);
        for (Map<String, String> r : t.rows()) {
            if (ours != null) {
                r.put("ours_p50_ratio", Table.f(Double.parseDouble(ours.get("_p50")) / Double.parseDouble(r.get("_p50")), 2));
                r.put("ours_hs_ratio", Table.f(Double.parseDouble(ours.get("_hs")) / Double.parseDouble(r.get("_hs")), 2));
                if (ours.containsKey("bytes") && r.containsKey("bytes")) {
                    r.put("ours_bytes_ratio",
                            Table.f(Double.parseDouble(ours.get("bytes")) / Double.parseDouble(r.get("bytes")), 2));
                }
            }
        }
        for (Map<String, String> r : t.rows()) {
            r.remove("_p50");
            r.remove("_hs");
        }
    }
}

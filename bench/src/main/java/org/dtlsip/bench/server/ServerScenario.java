package org.dtlsip.bench.server;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.dtlsip.bench.Keys;
import org.dtlsip.bench.Stats;
import org.dtlsip.bench.Table;
import org.dtlsip.bench.peers.BcMultiServer;
import org.dtlsip.bench.peers.JdkDtls;
import org.dtlsip.bench.peers.ScandiumServer;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.io.DtlsServer;
import org.dtlsip.dtls.io.ServerLimits;

/**
 * {@code bin/bench server}: one server, many concurrent clients. For each server: a warm-up,
 * then for each client count C a closed loop of {@code max(3C, 1000)} handshakes with C in
 * flight ({@link LoadClients}, our client engine, the same for every server), giving
 * handshakes/s and the clients' handshake time. Then, with a fresh server of the same kind,
 * retained heap per idle established association: heap used after GC with N more associations
 * alive, minus the same figure before them, divided by the associations added.
 */
public final class ServerScenario {
    private ServerScenario() {
    }

    public static final List<String> ALL = List.of("ours", "jdk", "bc", "scandium");

    static LoadServer create(String impl, Keys keys) throws Exception {
        return switch (impl) {
            case "ours" -> new OursServer(keys);
            case "jdk" -> new JdkServer(keys);
            case "bc" -> new BcMultiServer(keys, false);
            case "bc-jca" -> new BcMultiServer(keys, true);
            case "scandium" -> new ScandiumServer(keys);
            default -> throw new IllegalArgumentException("server scenario: unknown impl " + impl + "; known " + ALL);
        };
    }

    public static Table run(Keys keys, List<String> impls, List<Integer> clients, int threads, int associations,
            int warmup) throws Exception {
        Table t = new Table(List.of("impl", "clients", "handshakes", "failed", "seconds", "handshakes_per_s",
                "client_p50_ms", "client_p99_ms", "client_retransmissions", "heap_assocs", "heap_bytes_per_assoc",
                "ours_hs_ratio", "ours_heap_ratio"));
        DtlsConfig client = keys.oursClient();
        for (String impl : impls) {
            try {
                try (LoadServer s = create(impl, keys)) {
                    InetSocketAddress addr = s.start();
                    System.out.println("-- " + impl + ": " + s.how());
                    LoadClients.Result w = LoadClients.run(addr, client, warmup, Math.min(100, warmup), threads, 120_000);
                    System.out.printf("   warm-up %d handshakes (%d failed) in %.1f s%n", w.completed(), w.failed(),
                            w.seconds());
                    for (int c : clients) {
                        int total = Math.max(3 * c, 1_000);
                        LoadClients.Result r = LoadClients.run(addr, client, total, c, threads, 180_000);
                        Stats st = new Stats(r.latencyNanos());
                        Map<String, String> row = t.row();
                        row.put("impl", impl);
                        row.put("clients", Integer.toString(c));
                        row.put("handshakes", Integer.toString(r.completed()));
                        row.put("failed", Integer.toString(r.failed()));
                        row.put("seconds", Table.f(r.seconds(), 2));
                        row.put("handshakes_per_s", Table.f(r.perSecond(), 0));
                        row.put("client_p50_ms", Table.f(Stats.millis(st.median()), 1));
                        row.put("client_p99_ms", Table.f(Stats.millis(st.percentile(99)), 1));
                        row.put("client_retransmissions", Long.toString(r.retransmissions()));
                        System.out.printf("   %d clients: %d handshakes (%d failed) in %.2f s = %.0f/s, p50 %.1f ms, "
                                + "p99 %.1f ms, %d client retransmissions; server established %d%n", c, r.completed(),
                                r.failed(), r.seconds(), r.perSecond(), Stats.millis(st.median()),
                                Stats.millis(st.percentile(99)), r.retransmissions(), s.established());
                    }
                }
                if (associations > 0) {
                    memory(impl, keys, client, threads, associations, t);
                }
            } catch (Exception e) {
                System.out.println("   " + impl + " failed: " + e);
                e.printStackTrace(System.out);
            }
        }
        ratios(t);
        return t;
    }

    private static void memory(String impl, Keys keys, DtlsConfig client, int threads, int n, Table t)
            throws Exception {
        try (LoadServer s = create(impl, keys)) {
            InetSocketAddress addr = s.start();
            LoadClients.run(addr, client, 200, 50, threads, 120_000);
            long assocBefore = s.associations();
            long before = usedHeapAfterGc();
            LoadClients.Result r = LoadClients.run(addr, client, n, 200, threads, 600_000);
            int completed = r.completed();
            int failed = r.failed();
            double seconds = r.seconds();
            r = null;
            Thread.sleep(500); // let the server finish its last flights' bookkeeping
            long after = usedHeapAfterGc();
            long added = s.associations() - assocBefore;
            if (Boolean.getBoolean("bench.histogram")) {
                Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                        .redirectErrorStream(true).start();
                try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
                    in.lines().limit(22).forEach(l -> System.out.println("   " + l));
                }
                p.waitFor();
            }
            long per = added <= 0 ? 0 : (after - before) / added;
            System.out.printf("   memory: %d handshakes (%d failed) in %.1f s; associations %d -> %d; heap %.1f -> "
                    + "%.1f MiB after GC; %d bytes (%.1f KiB) per association%n", completed, failed, seconds,
                    assocBefore, assocBefore + added, before / 1048576.0, after / 1048576.0, per, per / 1024.0);
            Map<String, String> row = t.row();
            row.put("impl", impl);
            row.put("clients", "200");
            row.put("handshakes", Integer.toString(completed));
            row.put("failed", Integer.toString(failed));
            row.put("seconds", Table.f(seconds, 2));
            row.put("handshakes_per_s", Table.f(completed / seconds, 0));
            row.put("heap_assocs", Long.toString(added));
            row.put("heap_bytes_per_assoc", Long.toString(per));
        }
    }

    /** Heap in use after a full GC: the lowest of three collections. */
    static long usedHeapAfterGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    private static void ratios(Table t) {
        for (Map<String, String> r : t.rows()) {
            for (Map<String, String> o : t.rows()) {
                if (!o.get("impl").equals("ours") || !o.get("clients").equals(r.get("clients"))) {
                    continue;
                }
                boolean heapRow = r.containsKey("heap_bytes_per_assoc");
                if (heapRow != o.containsKey("heap_bytes_per_assoc")) {
                    continue;
                }
                if (heapRow) {
                    r.put("ours_heap_ratio", Table.f(Double.parseDouble(o.get("heap_bytes_per_assoc"))
                            / Double.parseDouble(r.get("heap_bytes_per_assoc")), 2));
                } else {
                    r.put("ours_hs_ratio", Table.f(Double.parseDouble(o.get("handshakes_per_s"))
                            / Double.parseDouble(r.get("handshakes_per_s")), 2));
                }
            }
        }
    }

    /** Our {@link DtlsServer}: one thread, one UDP port, limits raised above the association count. */
    static final class OursServer implements LoadServer {
        private final Keys keys;
        private DtlsServer server;

        OursServer(Keys keys) {
            this.keys = keys;
        }

        @Override
        public String name() {
            return "ours";
        }

        @Override
        public String how() {
            return "DtlsServer, one thread, maxAssociations 100,000, maxHandshakes 2,000";
        }

        @Override
        public InetSocketAddress start() throws Exception {
            server = DtlsServer.bind(new InetSocketAddress("127.0.0.1", 0), keys.oursServer(),
                    ServerLimits.defaults().withMaxAssociations(100_000).withMaxHandshakes(2_000), (a, d) -> { })
                    .start();
            return server.localAddress();
        }

        @Override
        public long established() {
            return server.handshakesCompleted();
        }

        @Override
        public long associations() {
            return server.associationCount();
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    /** The JDK's SSLEngine behind our single-threaded server driver ({@link JdkDtls}). */
    static final class JdkServer implements LoadServer {
        private final JdkDtls jdk;

        JdkServer(Keys keys) throws Exception {
            jdk = new JdkDtls(keys);
        }

        @Override
        public String name() {
            return "jdk";
        }

        @Override
        public String how() {
            return "SSLEngine per peer address, our single-threaded driver (no server timers), shared I/O buffers";
        }

        @Override
        public InetSocketAddress start() throws Exception {
            return jdk.startServer();
        }

        @Override
        public long established() {
            return jdk.serverHandshakes();
        }

        @Override
        public long associations() {
            return jdk.serverPeers();
        }

        @Override
        public void close() throws Exception {
            jdk.close();
        }
    }
}

package org.dtlsip.bench;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dtlsip.bench.peers.BouncyCastle;
import org.dtlsip.bench.peers.Cross;
import org.dtlsip.bench.peers.JdkDtls;
import org.dtlsip.bench.peers.OpenSsl;
import org.dtlsip.bench.peers.Ours;
import org.dtlsip.bench.peers.Scandium;
import org.dtlsip.bench.peers.WolfSsl;
import org.dtlsip.dtls.record.ProtocolVersion;

/**
 * {@code bin/bench SCENARIO [options]}: DTLS 1.2 handshake and bulk benchmarks on loopback,
 * dtlsip against the JDK, Bouncy Castle, Scandium and OpenSSL; {@code jmh} runs the
 * microbenchmarks. See docs/BENCHMARKS.md.
 */
public final class BenchMain {
    static final List<String> ALL = List.of("ours", "jdk", "bc", "bc-jca", "scandium", "ours-openssl", "openssl-ours", "openssl");
    /**
     * Contenders that name their version whatever {@code --protocol} says (issue 14): ours at
     * DTLS 1.3 or 1.2 (with or without the server's cookie exchange) and wolfSSL's DTLS 1.3
     * example programs against ours or each other ({@link WolfSsl}). Not in the default list.
     */
    static final List<String> VERSIONED = List.of("ours13", "ours13-nocookie", "ours12", "ours12-nocookie",
            "ours-wolfssl", "ours-wolfssl-nocookie", "wolfssl-ours", "wolfssl-ours-nocookie", "wolfssl",
            "wolfssl-nocookie");
    /**
     * Each Java peer against ours in both directions, named client-server (issue 17: "report
     * both directions for every peer"); OpenSSL's are {@code ours-openssl} and {@code openssl-ours}.
     * Not in the default list.
     */
    static final List<String> MIXED = List.of("ours-jdk", "jdk-ours", "ours-bc-jca", "bc-jca-ours", "ours-scandium",
            "scandium-ours");

    private static final String USAGE = """
            usage: bin/bench handshake|bulk|server|sip|loss|jmh [options]
              handshake   full-handshake latency (p50/p99), sequential handshakes/s, and per-handshake
                          bytes/datagrams/wire time seen by a counting relay
              bulk        one-way application records of --size bytes for --seconds; receiver counts
              server      many concurrent clients against one server (ours, jdk, bc, scandium): handshakes/s,
                          and retained heap per idle association (--clients 200,1000 --threads 2
                          --associations 10000 --warmup 500)
              sip         SIP calls over udp, tls, dtls-udp through JAIN-SIP: calls/s, setup p50/p95, cold
                          setup (--transports LIST --calls 2000 --concurrency 20 --warmup 500 --cold 10)
              loss        handshake completion p50/p95 under loss per retransmission timer, simulated
                          network (--loss 0,5,10,30 --count 500 --delay-ms 20 --chart FILE.png)
              jmh         JMH microbenchmarks (arguments after 'jmh' go to JMH, e.g. -f 1 -wi 3 -i 5)
            options:
              --impl LIST        comma-separated, default %s;
                                 also %s;
                                 and, each Java peer against ours both ways (client-server), %s
              --warmup N         handshakes before measuring (default 300)
              --count N          measured handshakes (default 1000)
              --relay N          handshakes through the counting relay (default 50)
              --protocol V       the version ours speaks on both ends, DTLSv1.2 (default) or DTLSv1.3;
                                 the other implementations speak DTLS 1.2 (the versioned ones
                                 above: the version their name says, wolfSSL 1.3)
              --seconds S        bulk: measured seconds (default 5)
              --warmup-seconds S bulk: sending before measuring, for the JIT (default 2)
              --size N           bulk: payload bytes per record (default 1200)
              --batch N          bulk: records per gathering write, packed into datagrams up to the
                                 PMTU (ours only; the others send one record per call; default 1)
              --out FILE         CSV output (default bench/results/SCENARIO-TIMESTAMP.csv)
            """.formatted(String.join(",", ALL), String.join(",", VERSIONED), String.join(",", MIXED));

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.print(USAGE);
            return;
        }
        String scenario = args[0];
        if (scenario.equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Map<String, String> opts = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("bad option " + args[i] + "\n" + USAGE);
                System.exit(2);
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        List<String> impls = impls(opts.get("impl"), ALL);
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path home = Path.of(System.getProperty("dtlsip.home", "."));
        Path out = Path.of(opts.getOrDefault("out", home.resolve("bench/results/" + scenario + "-" + stamp + ".csv")
                .toString()));
        Keys keys = Keys.generate();
        if (opts.containsKey("protocol")) {
            try {
                keys = keys.withOursProtocol(ProtocolVersion.parse(opts.get("protocol")));
            } catch (IllegalArgumentException e) {
                System.err.println("--protocol: " + e.getMessage());
                System.exit(2);
            }
        }
        PrintStream o = System.out;
        o.println("# " + scenario + " " + LocalDateTime.now().withNano(0) + "; ours speaks "
                + ProtocolVersion.name(keys.oursProtocol()) + "; " + environment());
        Table table;
        switch (scenario) {
            case "handshake" -> table = HandshakeScenario.run(keys, impls, Integer.parseInt(opts.getOrDefault("warmup", "300")),
                    Integer.parseInt(opts.getOrDefault("count", "1000")), Integer.parseInt(opts.getOrDefault("relay", "50")));
            case "bulk" -> table = BulkScenario.run(keys, impls, Double.parseDouble(opts.getOrDefault("seconds", "5")),
                    Double.parseDouble(opts.getOrDefault("warmup-seconds", "2")),
                    Integer.parseInt(opts.getOrDefault("size", "1200")),
                    Integer.parseInt(opts.getOrDefault("batch", "1")));
            case "server" -> table = org.dtlsip.bench.server.ServerScenario.run(keys,
                    impls(opts.get("impl"), org.dtlsip.bench.server.ServerScenario.ALL),
                    ints(opts.getOrDefault("clients", "200,1000")), Integer.parseInt(opts.getOrDefault("threads", "2")),
                    Integer.parseInt(opts.getOrDefault("associations", "10000")),
                    Integer.parseInt(opts.getOrDefault("warmup", "500")));
            case "loss" -> table = org.dtlsip.bench.loss.LossScenario.run(keys,
                    Arrays.stream(opts.getOrDefault("loss", "0,5,10,30").split(",")).map(x -> Double.parseDouble(x) / 100)
                            .toList(), Integer.parseInt(opts.getOrDefault("count", "500")),
                    Long.parseLong(opts.getOrDefault("delay-ms", "20")),
                    opts.containsKey("chart") ? Path.of(opts.get("chart")) : null);
            case "sip" -> table = org.dtlsip.bench.sip.SipScenario.run(
                    List.of(opts.getOrDefault("transports", "udp,tls,dtls-udp").split(",")),
                    Integer.parseInt(opts.getOrDefault("calls", "2000")),
                    Integer.parseInt(opts.getOrDefault("concurrency", "20")),
                    Integer.parseInt(opts.getOrDefault("warmup", "500")), Integer.parseInt(opts.getOrDefault("cold", "10")));
            default -> {
                System.err.println("unknown scenario " + scenario + "\n" + USAGE);
                System.exit(2);
                return;
            }
        }
        o.println();
        table.print(o);
        table.writeCsv(out);
        o.println("\nCSV: " + out);
        System.exit(0); // peer libraries (SIP stacks, Scandium) leave non-daemon threads behind
    }

    private static List<String> impls(String option, List<String> known) {
        List<String> impls = option == null ? known : List.of(option.split(","));
        for (String impl : impls) {
            if (!ALL.contains(impl) && !VERSIONED.contains(impl) && !MIXED.contains(impl)) {
                System.err.println("unknown --impl " + impl + "; known: " + known);
                System.exit(2);
            }
        }
        return impls;
    }

    private static List<Integer> ints(String list) {
        return Arrays.stream(list.split(",")).map(Integer::parseInt).toList();
    }

    static String environment() {
        return "Java " + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.vendor") + "), "
                + Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + "; " + OpenSsl.version() + "; " + WolfSsl.version() + "; Bouncy Castle "
                + pkgVersion(org.bouncycastle.tls.DTLSClientProtocol.class) + "; Scandium "
                + pkgVersion(org.eclipse.californium.scandium.DTLSConnector.class);
    }

    private static String pkgVersion(Class<?> c) {
        String v = c.getPackage().getImplementationVersion();
        if (v == null) {
            String path = c.getProtectionDomain().getCodeSource().getLocation().getPath();
            v = path.substring(path.lastIndexOf('/') + 1);
        }
        return v;
    }

    static Contender create(String impl, Keys keys) throws Exception {
        return switch (impl) {
            case "ours" -> new Ours(keys);
            case "jdk" -> new JdkDtls(keys);
            case "bc" -> new BouncyCastle(keys, false);
            case "bc-jca" -> new BouncyCastle(keys, true);
            case "scandium" -> new Scandium(keys);
            case "ours-openssl" -> new OpenSsl(keys, false);
            case "openssl-ours" -> new org.dtlsip.bench.peers.OpenSslToOurs(keys);
            case "openssl" -> new OpenSsl(keys, true);
            case "ours13" -> new Ours(keys.withOursProtocol(ProtocolVersion.DTLS_1_3));
            case "ours13-nocookie" -> new Ours(keys.withOursProtocol(ProtocolVersion.DTLS_1_3).withoutCookie());
            case "ours12" -> new Ours(keys.withOursProtocol(ProtocolVersion.DTLS_1_2));
            case "ours12-nocookie" -> new Ours(keys.withOursProtocol(ProtocolVersion.DTLS_1_2).withoutCookie());
            case "ours-wolfssl" -> new WolfSsl(keys, false, true, true);
            case "ours-wolfssl-nocookie" -> new WolfSsl(keys, false, true, false);
            case "wolfssl-ours" -> new WolfSsl(keys, true, false, true);
            case "wolfssl-ours-nocookie" -> new WolfSsl(keys, true, false, false);
            case "wolfssl" -> new WolfSsl(keys, true, true, true);
            case "wolfssl-nocookie" -> new WolfSsl(keys, true, true, false);
            case "ours-jdk" -> new Cross(impl, new Ours(keys), new JdkDtls(keys));
            case "jdk-ours" -> new Cross(impl, new JdkDtls(keys), new Ours(keys));
            case "ours-bc-jca" -> new Cross(impl, new Ours(keys), new BouncyCastle(keys, true));
            case "bc-jca-ours" -> new Cross(impl, new BouncyCastle(keys, true), new Ours(keys));
            case "ours-scandium" -> new Cross(impl, new Ours(keys), new Scandium(keys));
            case "scandium-ours" -> new Cross(impl, new Scandium(keys), new Ours(keys));
            default -> throw new IllegalArgumentException(impl);
        };
    }

    static List<String> columns(String... names) {
        return new ArrayList<>(List.of(names));
    }

    static InetSocketAddress loopback(InetSocketAddress a) {
        return new InetSocketAddress("127.0.0.1", a.getPort());
    }
}

package org.dtlsip.bench.peers;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dtlsip.bench.Contender;
import org.dtlsip.bench.ExternalClient;
import org.dtlsip.bench.Keys;
import org.dtlsip.bench.ReceiveCounters;
import org.dtlsip.dtls.record.ProtocolVersion;

/**
 * wolfSSL 5.5.4's example client and server (built by {@code .ci/build-wolfssl.sh}, see
 * docs/DTLS13.md) speaking DTLS 1.3 with TLS_AES_128_GCM_SHA256 and P-256, against ours or
 * each other: {@code ours-wolfssl} (our client, its server), {@code wolfssl-ours} (its client,
 * our server) and {@code wolfssl} (both its own); {@code -nocookie} turns the server's cookie
 * HelloRetryRequest off (wolfSSL's {@code -J n}, our {@code cookieExchange(false)}).
 *
 * <p>Its client runs once per handshake in benchmark mode ({@code -b 1}: connect, shut down,
 * no application data), and the latency is the one it prints, {@code wolfSSL_connect}'s own
 * time, so process start-up is not counted; the loop's handshakes/s does include one process
 * start per handshake. Its server runs with {@code -i} (one client after another). Its
 * benchmark throughput mode ({@code -B}) is a lock-step echo, not a one-way stream, so there is
 * no bulk contender here.
 */
public final class WolfSsl implements Contender, ExternalClient {
    /** Where .ci/build-wolfssl.sh puts the build; {@code -Dwolfssl.home=...} overrides. */
    private static final Path HOME = Path.of(System.getProperty("wolfssl.home",
            Path.of(System.getenv().getOrDefault("DTLSIP_CACHE", System.getProperty("user.home") + "/.cache/dtlsip"))
                    .resolve("wolfssl-dtls13").toString()));
    /** wolfSSL's name of TLS_AES_128_GCM_SHA256. */
    private static final String SUITE = "TLS13-AES128-GCM-SHA256";
    /** DTLS 1.3 in the examples' {@code -u -v} numbering. */
    private static final String DTLS13 = "4";
    private static final Pattern CONNECT_MILLIS = Pattern.compile("wolfSSL_connect avg took:\\s+([0-9.]+) milliseconds");
    private static final long START_TIMEOUT_SECONDS = 10;
    private static final long CLIENT_TIMEOUT_SECONDS = 30;

    private final Keys keys;
    private final boolean wolfClient;
    private final boolean wolfServer;
    private final boolean cookie;
    private static final long REBIND_TIMEOUT_MILLIS = 2_000;
    private static final long REBIND_POLL_MILLIS = 1;

    private Process server;
    private int serverPort;
    private Ours ours;

    public WolfSsl(Keys keys, boolean wolfClient, boolean wolfServer, boolean cookie) {
        Keys k = keys.withOursProtocol(ProtocolVersion.DTLS_1_3);
        this.keys = cookie ? k : k.withoutCookie();
        this.wolfClient = wolfClient;
        this.wolfServer = wolfServer;
        this.cookie = cookie;
    }

    /** Why the wolfSSL programs cannot run here, or empty when they can. */
    public static String unavailableReason() {
        return Files.isExecutable(HOME.resolve("bin/client")) && Files.isExecutable(HOME.resolve("bin/server")) ? ""
                : "no wolfSSL build in " + HOME + " (run .ci/build-wolfssl.sh)";
    }

    /** The build's Debian version, from BUILD-INFO, e.g. "wolfSSL 5.5.4-2+deb12u3". */
    public static String version() {
        try {
            return Files.readAllLines(HOME.resolve("BUILD-INFO")).stream().filter(l -> l.contains("5."))
                    .findFirst().map(String::trim).orElse("wolfSSL (version unknown)");
        } catch (IOException e) {
            return "wolfSSL unavailable";
        }
    }

    @Override
    public String name() {
        return (wolfClient ? "wolfssl" : "ours") + "-" + (wolfServer ? "wolfssl" : "ours") + (cookie ? "" : "-nocookie");
    }

    @Override
    public InetSocketAddress startServer() throws Exception {
        String why = unavailableReason();
        if (!why.isEmpty()) {
            throw new IOException(why);
        }
        if (!wolfServer) {
            ours = new Ours(keys);
            return ours.startServer();
        }
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = probe.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(HOME.resolve("bin/server").toString(), "-u", "-v", DTLS13, "-p",
                Integer.toString(port), "-c", keys.certPem().toString(), "-k", keys.keyPem().toString(), "-d", "-i",
                "-l", SUITE));
        if (!cookie) {
            cmd.addAll(List.of("-J", "n"));
        }
        // It refuses to start without ./certs/dh2048.pem: run it in the build directory.
        server = new ProcessBuilder(cmd).directory(HOME.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (!held(port)) {
            if (!server.isAlive() || System.nanoTime() > until) {
                throw new IOException("wolfSSL server did not start: " + String.join(" ", cmd));
            }
            Thread.sleep(20);
        }
        serverPort = port;
        return new InetSocketAddress("127.0.0.1", port);
    }

    /**
     * Without /proc: the server prints nothing before its first client, so a bind that fails
     * shows it is there. Racy (a probe that wins takes the port from the server), hence the
     * last resort.
     */
    private static boolean bound(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            return false;
        } catch (BindException e) {
            return true;
        } catch (SocketException e) {
            return false;
        }
    }

    @Override
    public boolean runsClient() {
        return wolfClient;
    }

    @Override
    public Connection connect(InetSocketAddress target) throws Exception {
        if (wolfClient) {
            throw new UnsupportedOperationException("the wolfSSL client runs as a process (ExternalClient)");
        }
        long socketBefore = wolfServer ? BoundSockets.udpInode(serverPort) : BoundSockets.UNKNOWN;
        Connection client = Ours.connectClient(target, keys);
        if (!wolfServer) {
            return client;
        }
        return new Connection() {
            @Override
            public void send(byte[] payload) throws Exception {
                client.send(payload);
            }

            /**
             * With {@code -i} wolfSSL's server closes its UDP socket after each client and binds
             * a new one: a ClientHello in between meets ICMP port unreachable, which our client
             * reports as an error. So the next handshake waits here (outside the timed connect)
             * until a new socket holds the port. The socket is told apart by its inode in
             * /proc/net/udp, which does not disturb the server; probing with a bind of our own
             * would take the port from the server if the probe won the race (the server then
             * exits: "nothing is listening").
             */
            @Override
            public void close() throws Exception {
                client.close();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REBIND_TIMEOUT_MILLIS);
                while (System.nanoTime() < until && !rebound(socketBefore)) {
                    Thread.sleep(REBIND_POLL_MILLIS);
                }
            }
        };
    }

    /** Whether the server's port is held by another socket than {@code before}. */
    private boolean rebound(long before) {
        if (!BoundSockets.available()) {
            return bound(serverPort);
        }
        long now = BoundSockets.udpInode(serverPort);
        return now != BoundSockets.UNKNOWN && now != before;
    }

    /** Whether a socket holds the port: from /proc/net/udp, else by the bind probe. */
    private static boolean held(int port) {
        return BoundSockets.available() ? BoundSockets.udpInode(port) != BoundSockets.UNKNOWN : bound(port);
    }

    @Override
    public Handshakes handshakes(InetSocketAddress target, int warmup, int count) throws Exception {
        for (int i = 0; i < warmup; i++) {
            oneHandshake(target);
        }
        long[] samples = new long[count];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            samples[i] = oneHandshake(target);
        }
        return new Handshakes(samples, System.nanoTime() - start);
    }

    private long oneHandshake(InetSocketAddress target) throws Exception {
        List<String> cmd = List.of(HOME.resolve("bin/client").toString(), "-u", "-v", DTLS13, "-h",
                target.getAddress().getHostAddress(), "-p", Integer.toString(target.getPort()), "-x", "-A",
                keys.certPem().toString(), "-l", SUITE, "-b", "1");
        Process p = new ProcessBuilder(cmd).directory(HOME.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(CLIENT_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("wolfSSL client failed: " + String.join(" ", cmd) + "\n" + out);
        }
        OptionalLong nanos = connectNanos(out);
        if (nanos.isEmpty()) {
            throw new IOException("wolfSSL client printed no connect time: " + out);
        }
        return nanos.getAsLong();
    }

    /** The handshake time in nanoseconds that {@code client -b 1} printed, if it did. */
    static OptionalLong connectNanos(String output) {
        Matcher m = CONNECT_MILLIS.matcher(output);
        return m.find() ? OptionalLong.of(Math.round(Double.parseDouble(m.group(1)) * 1e6)) : OptionalLong.empty();
    }

    @Override
    public Sent bulk(InetSocketAddress target, double seconds, int size) {
        throw new UnsupportedOperationException("wolfSSL's example client has no one-way bulk mode (its -B is a "
                + "lock-step echo); see docs/BENCHMARKS.md, Issue 14");
    }

    @Override
    public ReceiveCounters received() {
        return ours != null ? ours.received() : new ReceiveCounters();
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(2, TimeUnit.SECONDS);
        }
        if (ours != null) {
            ours.close();
        }
    }
}

package org.dtlsip.dtls.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;

/**
 * wolfSSL's example server or client, speaking DTLS 1.3 (or 1.2) on loopback: the only DTLS 1.3
 * peer Debian 12 can offer (docs/DTLS13.md). {@code .ci/build-wolfssl.sh} builds it from
 * Debian's source package into {@code ~/.cache/dtlsip/wolfssl-dtls13}; when that has not
 * happened {@link #unavailableReason()} says why, for a JUnit assumption.
 *
 * <h2>Behaviour seen with wolfSSL 5.5.4 (Debian 5.5.4-2+deb12u3)</h2>
 * <ul>
 *   <li>The programs refuse to start unless {@code ./certs/dh2048.pem} exists (their "wolf
 *       root" check): they run with the build directory, which has one, as working directory.
 *       Certificates and keys are passed as absolute paths; PEM with PKCS#8 keys works.</li>
 *   <li>The server writes nothing before a client arrives and creates its {@code -R} ready file
 *       for TCP only, so {@link #server} waits until the UDP port is taken (a probe bind fails).
 *       Its stdout is block-buffered into a pipe: it runs under {@code stdbuf -oL}. It binds
 *       with SO_REUSEADDR, so a second wolfSSL server would share the port: each server gets a
 *       fresh one.</li>
 *   <li>After the handshake both print {@code SSL version is DTLSv1.3} and
 *       {@code SSL cipher suite is TLS_AES_128_GCM_SHA256} (IANA names). The client then sends
 *       {@code hello wolfssl!}, prints the server's answer as a line, sends close_notify and
 *       exits 0; the server with {@code -e} echoes what it receives and exits 0 after the
 *       client's close_notify, except with a connection ID, when it keeps waiting (killed by
 *       {@link #close()}).</li>
 *   <li>By default the server answers the first ClientHello with a HelloRetryRequest carrying a
 *       cookie (RFC 9147 5.1); {@code -J n} turns that off. The client offers one key share,
 *       P-256; with {@code -J} it offers none and gets a HelloRetryRequest naming the group.</li>
 *   <li>Connection IDs: {@code --cid VALUE} (a separate argument; {@code --cid=VALUE} breaks the
 *       parsing of every later option); at most 2 bytes (DTLS_CID_MAX_SIZE), so IDs are two
 *       ASCII characters. Without a value the side asks for an empty ID.</li>
 *   <li>PSK ({@code -s} on both sides): identity {@code Client_identity} and a fixed 32-byte key,
 *       {@link #externalPsk()}; {@code -K} makes it psk_ke (no ECDHE).</li>
 *   <li>{@code -U} (server) / {@code -I} (client): a KeyUpdate before sending application data.</li>
 *   <li>The build links .ci/wolfssl-keylog.c, which appends NSS key log lines for the TLS 1.3
 *       secrets to {@code $SSLKEYLOGFILE} (only the first traffic secrets, not those after a
 *       KeyUpdate).</li>
 * </ul>
 */
public final class WolfSslPeer implements AutoCloseable {
    /** Where .ci/build-wolfssl.sh puts the build; {@code -Dwolfssl.home=...} overrides. */
    public static final Path HOME = Path.of(System.getProperty("wolfssl.home",
            Path.of(System.getenv().getOrDefault("DTLSIP_CACHE", System.getProperty("user.home") + "/.cache/dtlsip"))
                    .resolve("wolfssl-dtls13").toString()));
    /** What the wolfSSL client sends once connected. */
    public static final String CLIENT_MESSAGE = "hello wolfssl!";
    /** The identity of wolfSSL's built-in test PSK. */
    public static final String PSK_IDENTITY = "Client_identity";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern VERSION = Pattern.compile("^SSL version is (\\S+)");
    private static final Pattern SUITE = Pattern.compile("^SSL cipher suite is (\\S+)");

    /** Servers tried on fresh ports when wolfSSL exits before binding (the port was taken meanwhile). */
    private static final int BIND_ATTEMPTS = 3;
    private static final String EXITED_BEFORE_BINDING = "wolfSSL server exited before binding its port";

    private final PeerProcess process;
    private final int port;

    /** What a completed handshake printed. */
    public record Handshake(String version, String cipherSuite) {
    }

    /**
     * Options for either program. Defaults: DTLS 1.3, wolfSSL's default suites, no connection ID,
     * certificate authentication of the server only, a HelloRetryRequest cookie from the server.
     */
    public record Options(int version, String suite, String connectionId, int mtu, boolean psk, boolean pskOnly,
            boolean clientAuth, boolean keyUpdate, boolean groupRetry, boolean noCookie, Path keyLog,
            List<String> extra) {
        public static Options dtls13() {
            return new Options(4, null, null, 0, false, false, false, false, false, false, null, List.of());
        }

        public Options dtls12() {
            return new Options(3, suite, connectionId, mtu, psk, pskOnly, clientAuth, keyUpdate, groupRetry, noCookie, keyLog, extra);
        }

        /** A wolfSSL suite name ({@code TLS13-AES128-GCM-SHA256}) or several separated by colons. */
        public Options suite(String wolfSslSuite) {
            return new Options(version, wolfSslSuite, connectionId, mtu, psk, pskOnly, clientAuth, keyUpdate, groupRetry, noCookie, keyLog, extra);
        }

        public Options suite(Tls13CipherSuite suite) {
            return suite(wolfSslName(suite));
        }

        /** The connection ID this side asks for: at most two ASCII characters, "" for an empty one. */
        public Options connectionId(String id) {
            if (id.length() > 2) {
                throw new IllegalArgumentException("wolfSSL 5.5.4 takes connection IDs of at most 2 bytes");
            }
            return new Options(version, suite, id, mtu, psk, pskOnly, clientAuth, keyUpdate, groupRetry, noCookie, keyLog, extra);
        }

        public Options mtu(int mtu) {
            return new Options(version, suite, connectionId, mtu, psk, pskOnly, clientAuth, keyUpdate, groupRetry, noCookie, keyLog, extra);
        }

        /** The built-in external PSK ({@link #externalPsk()}); {@code pskOnly}: psk_ke, no ECDHE. */
        public Options psk(boolean pskOnly) {
            return new Options(version, suite, connectionId, mtu, true, pskOnly, clientAuth, keyUpdate, groupRetry, noCookie, keyLog, extra);
        }

        /** Server: require a client certificate. Client: present one. */
        public Options withClientAuth() {
            return new Options(version, suite, connectionId, mtu, psk, pskOnly, true, keyUpdate, groupRetry, noCookie, keyLog, extra);
        }

        /** Send a KeyUpdate before the application data. */
        public Options withKeyUpdate() {
            return new Options(version, suite, connectionId, mtu, psk, pskOnly, clientAuth, true, groupRetry, noCookie, keyLog, extra);
        }

        /** Client: offer no key share, so the server must retry naming its group. */
        public Options withGroupRetry() {
            return new Options(version, suite, connectionId, mtu, psk, pskOnly, clientAuth, keyUpdate, true, noCookie, keyLog, extra);
        }

        /** Server: no HelloRetryRequest cookie. */
        public Options withoutCookie() {
            return new Options(version, suite, connectionId, mtu, psk, pskOnly, clientAuth, keyUpdate, groupRetry, true, keyLog, extra);
        }

        /** Append NSS key log lines to {@code file} (SSLKEYLOGFILE). */
        public Options keyLog(Path file) {
            return new Options(version, suite, connectionId, mtu, psk, pskOnly, clientAuth, keyUpdate, groupRetry, noCookie, file, extra);
        }

        public Options extra(String... args) {
            List<String> all = new ArrayList<>(extra);
            all.addAll(List.of(args));
            return new Options(version, suite, connectionId, mtu, psk, pskOnly, clientAuth, keyUpdate, groupRetry, noCookie, keyLog, all);
        }

        private List<String> common() {
            List<String> args = new ArrayList<>();
            args.add(mtu > 0 ? "-u" + mtu : "-u");
            args.add("-v");
            args.add(Integer.toString(version));
            if (suite != null) {
                args.add("-l");
                args.add(suite);
            }
            if (psk) {
                args.add("-s");
                if (pskOnly) {
                    args.add("-K");
                }
            }
            if (connectionId != null) {
                args.add("--cid");
                if (!connectionId.isEmpty()) {
                    args.add(connectionId);
                }
            }
            return args;
        }
    }

    private WolfSslPeer(PeerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Why the peer cannot run here, or empty when it can. */
    public static Optional<String> unavailableReason() {
        if (Files.isExecutable(HOME.resolve("bin/server")) && Files.isExecutable(HOME.resolve("bin/client"))) {
            return Optional.empty();
        }
        Path failed = HOME.resolveSibling(HOME.getFileName() + ".failed");
        String why = "not built";
        try {
            if (Files.exists(failed)) {
                why = Files.readString(failed, StandardCharsets.UTF_8).trim();
            }
        } catch (IOException e) {
            why = "unreadable " + failed + ": " + e;
        }
        return Optional.of("wolfSSL with DTLS 1.3 is not available at " + HOME + " (" + why
                + "); run .ci/build-wolfssl.sh, which .ci/run calls");
    }

    public static boolean available() {
        return unavailableReason().isEmpty();
    }

    /** The build's description (version, configure flags), for test reports. */
    public static String buildInfo() {
        try {
            return Files.readString(HOME.resolve("BUILD-INFO"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "wolfSSL build info unavailable: " + e;
        }
    }

    /**
     * wolfSSL's built-in TLS 1.3 test PSK (wolfssl/test.h, my_psk_client_tls13_cb): 32 bytes
     * starting at 0x01 and growing by 0x22, wrapping to 0x01 past 0xff.
     */
    public static byte[] externalPsk() {
        byte[] key = new byte[32];
        int b = 0x01;
        for (int i = 0; i < key.length; i++, b += 0x22) {
            if (b >= 0x100) {
                b = 0x01;
            }
            key[i] = (byte) b;
        }
        return key;
    }

    /** wolfSSL's name of a TLS 1.3 suite, e.g. TLS13-AES128-GCM-SHA256. */
    public static String wolfSslName(Tls13CipherSuite suite) {
        return switch (suite) {
            case TLS_AES_128_GCM_SHA256 -> "TLS13-AES128-GCM-SHA256";
            case TLS_AES_256_GCM_SHA384 -> "TLS13-AES256-GCM-SHA384";
            case TLS_CHACHA20_POLY1305_SHA256 -> "TLS13-CHACHA20-POLY1305-SHA256";
            case TLS_AES_128_CCM_SHA256 -> "TLS13-AES128-CCM-SHA256";
            case TLS_AES_128_CCM_8_SHA256 -> "TLS13-AES128-CCM-8-SHA256";
        };
    }

    /**
     * Starts {@code server -u -v 4 -p PORT -e -c CERT -k KEY ...} (echo mode, one connection) on a
     * free port of 127.0.0.1 and waits until it is bound. A port that another process takes
     * between our choice and wolfSSL's bind makes wolfSSL exit at once; the next free port is
     * then tried, up to {@link #BIND_ATTEMPTS} times (other test runs share the machine).
     *
     * @param key the server's certificate and key
     * @param clientCa the trusted client certificate when {@link Options#withClientAuth()}, else ignored
     */
    public static WolfSslPeer server(TestPki.Material key, TestPki.Material clientCa, Options options)
            throws IOException {
        AssertionError last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            int port = OpenSslPeer.freeUdpPort();
            WolfSslPeer peer = new WolfSslPeer(start("wolfssl-server", serverArgs(port, key, clientCa, options), options),
                    port);
            try {
                awaitBound(port, peer);
                return peer;
            } catch (AssertionError e) {
                peer.close();
                if (!e.getMessage().contains(EXITED_BEFORE_BINDING)) {
                    throw e; // still running but not bound in time, or interrupted: not a port race
                }
                last = e;
            }
        }
        throw last;
    }

    private static List<String> serverArgs(int port, TestPki.Material key, TestPki.Material clientCa, Options options) {
        List<String> args = new ArrayList<>(List.of("stdbuf", "-oL", "-eL", HOME.resolve("bin/server").toString()));
        args.addAll(options.common());
        args.addAll(List.of("-p", Integer.toString(port), "-e",
                "-c", key.certPem().toString(), "-k", key.keyPem().toString()));
        if (options.clientAuth()) {
            args.addAll(List.of("-A", clientCa.certPem().toString()));
        } else {
            args.add("-d");
        }
        if (options.keyUpdate()) {
            args.add("-U");
        }
        if (options.noCookie()) {
            args.addAll(List.of("-J", "n"));
        }
        args.addAll(options.extra());
        return args;
    }

    /** The UDP port a server listens on (127.0.0.1); -1 for a client. */
    public int port() {
        return port;
    }

    /**
     * Starts {@code client -u -v 4 -h 127.0.0.1 -p PORT ...}. It does not wait: see
     * {@link #awaitHandshake}.
     *
     * @param serverCa the certificate the server's chain must end in
     * @param clientKey the client's certificate and key when {@link Options#withClientAuth()}, else ignored
     */
    public static WolfSslPeer client(InetSocketAddress server, TestPki.Material serverCa, TestPki.Material clientKey,
            Options options) throws IOException {
        List<String> args = new ArrayList<>(List.of("stdbuf", "-oL", "-eL", HOME.resolve("bin/client").toString()));
        args.addAll(options.common());
        args.addAll(List.of("-h", server.getAddress().getHostAddress(), "-p", Integer.toString(server.getPort())));
        if (options.psk()) {
            // PSK alone authenticates; nothing to load.
        } else {
            args.addAll(List.of("-A", serverCa.certPem().toString()));
        }
        if (options.clientAuth()) {
            args.addAll(List.of("-c", clientKey.certPem().toString(), "-k", clientKey.keyPem().toString()));
        } else {
            args.add("-x");
        }
        if (options.keyUpdate()) {
            args.add("-I");
        }
        if (options.groupRetry()) {
            args.add("-J");
        }
        args.addAll(options.extra());
        return new WolfSslPeer(start("wolfssl-client", args, options), -1);
    }

    private static PeerProcess start(String name, List<String> args, Options options) throws IOException {
        Map<String, String> env = new HashMap<>();
        if (options.keyLog() != null) {
            env.put("SSLKEYLOGFILE", options.keyLog().toString());
        }
        return new PeerProcess(name, args, HOME, env);
    }

    /** The server binds 127.0.0.1:port before it prints anything: wait until a probe bind fails. */
    private static void awaitBound(int port, WolfSslPeer peer) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!peer.process.isAlive()) {
                throw peer.process.failure(EXITED_BEFORE_BINDING);
            }
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                probe.getLocalPort(); // still free: not bound yet
            } catch (BindException e) {
                return;
            } catch (SocketException e) {
                throw new UncheckedIOException(e);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw peer.process.failure("interrupted while waiting for the port");
            }
        }
        throw peer.process.failure("wolfSSL server did not bind port " + port + " within " + READY_TIMEOUT.toMillis() + " ms");
    }

    /** Waits for the version and suite lines a completed handshake prints. */
    public Handshake awaitHandshake(Duration timeout) {
        String version = process.awaitLine(0, l -> VERSION.matcher(l).find(), timeout);
        String suite = process.awaitLine(0, l -> SUITE.matcher(l).find(), timeout);
        return new Handshake(group(VERSION, version), group(SUITE, suite));
    }

    private static String group(Pattern p, String line) {
        Matcher m = p.matcher(line);
        if (!m.find()) {
            throw new AssertionError(line);
        }
        return m.group(1);
    }

    /** Waits for a line equal to {@code text} (the client prints the server's echo this way). */
    public String awaitLine(String text, Duration timeout) {
        return process.awaitLine(0, text::equals, timeout);
    }

    public boolean hasLine(String text) {
        return process.hasLine(text::equals);
    }

    /** Waits for the exit; AssertionError with the output if it does not exit in time. */
    public int awaitExit(Duration timeout) {
        return process.awaitExit(timeout);
    }

    public String output() {
        return process.output();
    }

    public List<String> command() {
        return process.command();
    }

    @Override
    public void close() {
        process.close();
    }

    @Override
    public String toString() {
        return "WolfSslPeer" + process.command();
    }
}

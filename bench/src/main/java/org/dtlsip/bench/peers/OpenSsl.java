package org.dtlsip.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.dtlsip.bench.Contender;
import org.dtlsip.bench.CpuTimes;
import org.dtlsip.bench.ExternalClient;
import org.dtlsip.bench.Keys;
import org.dtlsip.bench.ReceiveCounters;

/**
 * OpenSSL's {@code s_server -dtls1_2} as the server, and either our client ({@code ours-openssl})
 * or a small C client linked against libssl ({@code openssl}, built on first use from
 * {@code bench/src/main/c/openssl_dtls_client.c}) that loops in one process, so that figures are
 * not process start-up. The server prints what it receives ({@code -quiet}); we count the bytes.
 */
public final class OpenSsl implements Contender, ExternalClient {
    private static final String OPENSSL = System.getProperty("dtlsip.openssl", "openssl");

    private final Keys keys;
    private final boolean cClient;
    /** Bytes s_server printed; its "records" are stdout reads, so the record count means nothing. */
    private final ReceiveCounters received = new ReceiveCounters();
    private final AtomicLong cumulative = new AtomicLong();
    private long baseline;
    private boolean bulkReceiver;
    /** The C receiver's CPU time as of its last report (it reports every 100 ms and when it ends). */
    private volatile CpuTimes receiverCpu = CpuTimes.UNKNOWN;
    private Process server;
    private Thread reader;

    public OpenSsl(Keys keys, boolean cClient) {
        this.keys = keys;
        this.cClient = cClient;
    }

    @Override
    public String name() {
        return cClient ? "openssl" : "ours-openssl";
    }

    /** OpenSSL's version line, e.g. "OpenSSL 3.0.19 27 Jan 2026". */
    public static String version() {
        try {
            Process p = new ProcessBuilder(OPENSSL, "version").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return v;
        } catch (IOException | InterruptedException e) {
            return "openssl unavailable";
        }
    }

    @Override
    public InetSocketAddress startServer() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        // "-accept PORT" (all addresses): OpenSSL 3.0's s_server did not answer DTLS on "-accept 127.0.0.1:PORT".
        List<String> cmd = List.of(OPENSSL, "s_server", "-dtls1_2", "-accept", Integer.toString(port),
                "-cert", keys.certPem().toString(), "-key", keys.keyPem().toString(),
                "-cipher", Keys.SUITE, "-groups", "P-256", "-mtu", "1400", "-quiet");
        server = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        InputStream out = server.getInputStream();
        reader = new Thread(() -> {
            byte[] buf = new byte[1 << 16];
            try {
                int n;
                while ((n = out.read(buf)) >= 0) {
                    received.record(n);
                }
            } catch (IOException e) {
                // process ended
            }
        }, "openssl-stdout");
        reader.setDaemon(true);
        reader.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!bound(port)) {
            if (!server.isAlive() || System.nanoTime() > until) {
                throw new IOException("openssl s_server did not start: " + String.join(" ", cmd));
            }
            Thread.sleep(20);
        }
        return new InetSocketAddress("127.0.0.1", port);
    }

    private static boolean bound(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("0.0.0.0", port))) {
            return false;
        } catch (BindException e) {
            return true;
        } catch (SocketException e) {
            return false;
        }
    }

    /**
     * The C client's {@code receive} mode as the bulk receiver: {@code s_server} writes every
     * record it reads to stdout and tops out far below OpenSSL's record rate. It prints cumulative
     * byte counts and its CPU time every 100 ms.
     */
    @Override
    public InetSocketAddress startBulkServer() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            port = probe.getLocalPort();
        }
        server = new ProcessBuilder(clientBinary().toString(), "receive", Integer.toString(port),
                keys.certPem().toString(), keys.keyPem().toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        java.io.BufferedReader lines = new java.io.BufferedReader(
                new java.io.InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII));
        if (!"ready".equals(lines.readLine())) {
            throw new IOException("OpenSSL bulk receiver did not start");
        }
        receiverCpu = new CpuTimes(0, 0); // the receiver's first report comes after the handshake; start-up is negligible
        reader = new Thread(() -> {
            try {
                String l;
                while ((l = lines.readLine()) != null) {
                    if (l.startsWith("received ")) {
                        String[] f = l.split(" ");
                        cumulative.set(Long.parseLong(f[1]));
                        receiverCpu = new CpuTimes(Long.parseLong(f[3]), Long.parseLong(f[4]));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // process ended
            }
        }, "openssl-receiver");
        reader.setDaemon(true);
        reader.start();
        bulkReceiver = true;
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public boolean runsClient() {
        return cClient;
    }

    @Override
    public Connection connect(InetSocketAddress target) throws Exception {
        if (cClient) {
            throw new UnsupportedOperationException("the OpenSSL client runs its own loop (ExternalClient)");
        }
        return Ours.connectClient(target, keys);
    }

    // ------------------------------------------------------------------ the C client

    private static Path clientBinary() throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("dtlsip.home", "."));
        Path source = home.resolve("bench/src/main/c/openssl_dtls_client.c");
        Path binary = home.resolve("bench/target/openssl_dtls_client");
        if (Files.exists(binary) && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) {
            return binary;
        }
        Process cc = new ProcessBuilder("cc", "-O2", "-Wall", "-o", binary.toString(), source.toString(), "-lssl",
                "-lcrypto").inheritIO().start();
        if (cc.waitFor() != 0) {
            throw new IOException("cannot build " + source + " (needs a C compiler and libssl-dev)");
        }
        return binary;
    }

    private static List<String> run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(clientBinary().toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("OpenSSL client failed: " + String.join(" ", cmd));
        }
        return out.lines().toList();
    }

    @Override
    public Handshakes handshakes(InetSocketAddress target, int warmup, int count) throws Exception {
        List<String> lines = run("handshake", target.getAddress().getHostAddress(), Integer.toString(target.getPort()),
                keys.certPem().toString(), Integer.toString(warmup), Integer.toString(count));
        long[] samples = lines.stream().filter(l -> l.startsWith("hs ")).mapToLong(l -> Long.parseLong(l.substring(3)))
                .toArray();
        long total = lines.stream().filter(l -> l.startsWith("total ")).mapToLong(l -> Long.parseLong(l.substring(6)))
                .findFirst().orElse(0);
        return new Handshakes(samples, total);
    }

    @Override
    public Sent bulk(InetSocketAddress target, double seconds, int size) throws Exception {
        return bulk(keys, target, seconds, size);
    }

    /** The C client's bulk loop against any server: records sent, and its CPU time over the loop. */
    static Sent bulk(Keys keys, InetSocketAddress target, double seconds, int size) throws Exception {
        List<String> lines = run("bulk", target.getAddress().getHostAddress(), Integer.toString(target.getPort()),
                keys.certPem().toString(), Double.toString(seconds), Integer.toString(size));
        long sent = lines.stream().filter(l -> l.startsWith("sent ")).mapToLong(l -> Long.parseLong(l.substring(5)))
                .findFirst().orElse(0);
        CpuTimes cpu = lines.stream().filter(l -> l.startsWith("cpu ")).map(l -> l.split(" "))
                .map(f -> new CpuTimes(Long.parseLong(f[1]), Long.parseLong(f[2]))).findFirst().orElse(CpuTimes.UNKNOWN);
        return new Sent(sent, cpu);
    }

    @Override
    public CpuTimes externalReceiverCpu() {
        return bulkReceiver ? receiverCpu : CpuTimes.UNKNOWN;
    }

    // ------------------------------------------------------------------ counters

    @Override
    public ReceiveCounters received() {
        return received;
    }

    @Override
    public long receivedRecords() {
        return -1; // s_server prints bytes, not records
    }

    @Override
    public long receivedBytes() {
        return bulkReceiver ? cumulative.get() - baseline : received.bytes();
    }

    @Override
    public void resetCounters() {
        received.reset();
        baseline = cumulative.get();
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(2, TimeUnit.SECONDS);
        }
    }
}

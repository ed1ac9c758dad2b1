package org.dtlsip.dtls.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A running {@code openssl s_server} or {@code openssl s_client} process speaking DTLS 1.2 on
 * loopback. stdout and stderr are captured line by line by two daemon threads; lines of both
 * streams go into one list in arrival order.
 *
 * <h2>Behaviour verified with OpenSSL 3.0.19 (openssl against openssl on 127.0.0.1)</h2>
 * <ul>
 *   <li>{@code s_server -dtls1_2 -accept 127.0.0.1:PORT} binds the UDP socket to 127.0.0.1 only
 *       ({@code ss -ulpn} shows {@code 127.0.0.1:PORT}). Once bound it prints {@code ACCEPT}
 *       (not printed with {@code -brief} or {@code -quiet}); {@link #server} waits for it.</li>
 *   <li>{@code -naccept 1}: s_server exits (status 0) right after the first connection is
 *       closed, even while its stdin is still open. {@link #server} always adds it.</li>
 *   <li>Handshake complete: s_server prints {@code CIPHER is <openssl-name>} (with
 *       {@code -brief}: {@code Protocol version: DTLSv1.2} and {@code Ciphersuite: <name>});
 *       before it, {@code Shared ciphers:...}. s_client prints {@code CONNECTED(0000000N)}
 *       <em>before</em> the handshake (UDP "connect"), then after it
 *       {@code New, TLSv1.2, Cipher is <name>} and {@code     Protocol  : DTLSv1.2};
 *       with {@code -brief}: {@code CONNECTION ESTABLISHED}, {@code Protocol version: DTLSv1.2},
 *       {@code Ciphersuite: <name>}. Names are OpenSSL names, e.g.
 *       {@code ECDHE-ECDSA-AES128-GCM-SHA256}.</li>
 *   <li>Application data received is written raw to stdout (no prefix; a line only if the peer
 *       sent a newline). Lines written to stdin are sent as one record each, newline
 *       included.</li>
 *   <li>close_notify: EOF on s_client's stdin ({@link #closeStdin()}) makes it print
 *       {@code DONE}, send close_notify and exit 0. On receiving close_notify s_server prints
 *       {@code DONE}, {@code shutting down SSL} (and answers with its own close_notify) and
 *       {@code CONNECTION CLOSED}; s_client prints {@code closed}, answers with close_notify
 *       and exits 0.</li>
 *   <li>s_server can <em>not</em> be made to initiate close_notify in DTLS: EOF on its stdin
 *       prints {@code shutdown accept socket}, {@code shutting down SSL},
 *       {@code CONNECTION CLOSED} and ends the connection (and with -naccept 1 the process),
 *       and a {@code q} line prints the last two, but in both cases no alert reaches the
 *       client (checked with {@code s_client -msg}).</li>
 *   <li>s_client command letters: unless {@code -nocommands} is given, <em>any</em> stdin line
 *       starting with {@code Q} (e.g. "Quick") closes the connection instead of being sent;
 *       {@code R} renegotiates, {@code k}/{@code K} key-update. s_server (without
 *       {@code -brief}/{@code -quiet}) interprets short lines {@code Q}, {@code q}, {@code r},
 *       {@code R}, ... the same way. Avoid such lines or pass {@code -nocommands}.</li>
 *   <li>{@code -listen} on s_server enables DTLSv1_listen: a stateless HelloVerifyRequest
 *       cookie exchange before the handshake. Without it openssl 3.0's s_server still sends
 *       a HelloVerifyRequest (SSL_OP_COOKIE_EXCHANGE), only from within the handshake.</li>
 *   <li>{@code -mtu N} sets the link MTU and turns off MTU querying (SSL_OP_NO_QUERY_MTU);
 *       N below 256 is refused ("MTU too small. Must be at least 256"). Without {@code -mtu}
 *       openssl queries the route MTU, which is 65536 on loopback, so it never fragments
 *       handshake messages there.</li>
 *   <li>s_client does not fail on an untrusted server certificate by default (prints
 *       {@code verify error:num=18:self-signed certificate} and continues); use
 *       {@code -verify_return_error -CAfile cert.pem} for strict checking.</li>
 * </ul>
 */
public final class OpenSslPeer implements AutoCloseable {

    /** The openssl binary used; {@code /usr/bin/openssl} unless {@code -Dopenssl.path=...}. */
    public static final String OPENSSL = System.getProperty("openssl.path", "/usr/bin/openssl");

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);

    private final Process process;
    private final List<String> command;
    private final OutputStream stdin;
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private final Object lock = new Object();
    /** Completed lines of stdout and stderr, in arrival order. Guarded by {@link #lock}. */
    private final List<String> lines = new ArrayList<>();
    /** Unterminated tails of stdout [0] and stderr [1]. Guarded by {@link #lock}. */
    private final StringBuilder[] partial = {new StringBuilder(), new StringBuilder()};
    private int streamsAtEof;

    private OpenSslPeer(List<String> command) throws IOException {
        this.command = List.copyOf(command);
        this.process = new ProcessBuilder(this.command).start();
        this.stdin = process.getOutputStream();
        this.stdoutReader = startReader(process.getInputStream(), 0, "stdout");
        this.stderrReader = startReader(process.getErrorStream(), 1, "stderr");
    }

    /** True when {@link #OPENSSL} exists and is executable (for JUnit assumptions). */
    public static boolean available() {
        return Files.isExecutable(Path.of(OPENSSL));
    }

    /**
     * Starts {@code openssl s_server -dtls1_2 -accept 127.0.0.1:PORT -naccept 1 <extraArgs>}
     * and waits until it prints {@code ACCEPT} (unless {@code -quiet}/{@code -brief} is among
     * the extra args, which suppress that line). The extra args must provide the key, e.g.
     * {@code -cert x.pem -key k.pem}; see {@link #serverArgs}.
     */
    public static OpenSslPeer server(int port, List<String> extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(OPENSSL, "s_server", "-dtls1_2",
                "-accept", "127.0.0.1:" + port, "-naccept", "1"));
        cmd.addAll(extraArgs);
        OpenSslPeer peer = new OpenSslPeer(cmd);
        if (!extraArgs.contains("-quiet") && !extraArgs.contains("-brief")) {
            try {
                peer.awaitLine("ACCEPT"::equals, READY_TIMEOUT);
            } catch (AssertionError e) {
                peer.close();
                throw e;
            }
        }
        return peer;
    }

    /**
     * Starts {@code openssl s_server -dtls1_2 -accept 127.0.0.1:PORT <extraArgs>} without
     * {@code -naccept}: it serves one connection after another until closed. With
     * {@code -quiet} and stdin closed ({@link #closeStdin()}, like {@code < /dev/null}) it sends
     * close_notify right after each handshake's Finished (checked with {@code s_client -msg});
     * nothing then says when the port is bound, so callers retry a refused first connection.
     */
    public static OpenSslPeer serverForEveryConnection(int port, List<String> extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(OPENSSL, "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port));
        cmd.addAll(extraArgs);
        return new OpenSslPeer(cmd);
    }

    /** Convenience: {@link #server(int, List)} with {@code -cert}/{@code -key} of {@code key}. */
    public static OpenSslPeer server(int port, TestPki.Material key, String... extraArgs)
            throws IOException {
        return server(port, serverArgs(key, extraArgs));
    }

    /** {@code -cert <certPem> -key <keyPem>} followed by {@code extraArgs}. */
    public static List<String> serverArgs(TestPki.Material key, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("-cert", key.certPem().toString(),
                "-key", key.keyPem().toString()));
        args.addAll(List.of(extraArgs));
        return args;
    }

    /**
     * Starts {@code openssl s_client -dtls1_2 -connect host:port <extraArgs>}. It does not
     * wait for the handshake: await {@code "New, TLSv1.2, Cipher is"} (or, with -brief,
     * {@code "CONNECTION ESTABLISHED"}).
     */
    public static OpenSslPeer client(String host, int port, List<String> extraArgs)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(OPENSSL, "s_client", "-dtls1_2",
                "-connect", host + ":" + port));
        cmd.addAll(extraArgs);
        return new OpenSslPeer(cmd);
    }

    /** A UDP port on 127.0.0.1 that was free a moment ago (bind to 0, read, release). */
    public static int freeUdpPort() {
        try (DatagramSocket socket = new DatagramSocket(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command line this peer was started with. */
    public List<String> command() {
        return command;
    }

    /** Writes {@code line + "\n"} to the process' stdin and flushes (one record is sent). */
    public void sendLine(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Closes stdin: s_client then sends close_notify; s_server just drops the connection. */
    public void closeStdin() throws IOException {
        stdin.close();
    }

    /** {@link #awaitLine(int, Predicate, Duration)} from the first captured line. */
    public String awaitLine(Predicate<String> matcher, Duration timeout) {
        return awaitLine(0, matcher, timeout);
    }

    /** Waits for a line in which {@code pattern} is found ({@link java.util.regex.Matcher#find}). */
    public String awaitLine(Pattern pattern, Duration timeout) {
        return awaitLine(0, line -> pattern.matcher(line).find(), timeout);
    }

    /**
     * Waits for the first captured line at index {@code >= fromLine} (see {@link #lineCount()})
     * that matches; an unterminated trailing piece of output also counts as a line. Returns
     * early with an AssertionError, including the whole output, on timeout or when the process
     * ended without producing a match.
     */
    public String awaitLine(int fromLine, Predicate<String> matcher, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                for (int i = fromLine; i < lines.size(); i++) {
                    if (matcher.test(lines.get(i))) {
                        return lines.get(i);
                    }
                }
                for (StringBuilder tail : partial) {
                    if (tail.length() > 0 && matcher.test(tail.toString())) {
                        return tail.toString();
                    }
                }
                if (streamsAtEof == 2) {
                    throw failure("process ended without the expected line");
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw failure("timed out after " + timeout.toMillis()
                            + " ms waiting for the expected line");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw failure("interrupted while waiting for a line");
                }
            }
        }
    }

    /** Number of complete lines captured so far (a start index for later awaits). */
    public int lineCount() {
        synchronized (lock) {
            return lines.size();
        }
    }

    /** Everything captured from stdout and stderr so far, one line per line. */
    public String output() {
        synchronized (lock) {
            StringBuilder all = new StringBuilder();
            lines.forEach(l -> all.append(l).append('\n'));
            for (StringBuilder tail : partial) {
                if (tail.length() > 0) {
                    all.append(tail).append('\n');
                }
            }
            return all.toString();
        }
    }

    /** Waits for the process to exit; AssertionError with the output if it does not in time. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw failure("process did not exit within " + timeout.toMillis() + " ms");
            }
            stdoutReader.join(1000);
            stderrReader.join(1000);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while waiting for exit");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Closes stdin, then terminates the process (SIGTERM, after 1 s SIGKILL). */
    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the process may already be gone
        }
        process.destroy();
        try {
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
            stdoutReader.join(1000);
            stderrReader.join(1000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "OpenSslPeer" + command;
    }

    private AssertionError failure(String what) {
        String exit = process.isAlive() ? "running" : "exit status " + process.exitValue();
        return new AssertionError(what + " (" + exit + ")\ncommand: " + String.join(" ", command)
                + "\n--- captured output ---\n" + output() + "--- end of output ---");
    }

    private Thread startReader(InputStream stream, int index, String name) {
        Thread thread = new Thread(() -> pump(stream, index),
                "openssl-" + name + "-" + process.pid());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void pump(InputStream stream, int index) {
        try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            char[] buffer = new char[4096];
            int n;
            while ((n = reader.read(buffer)) > 0) {
                synchronized (lock) {
                    StringBuilder tail = partial[index];
                    for (int i = 0; i < n; i++) {
                        char c = buffer[i];
                        if (c == '\n') {
                            int end = tail.length();
                            if (end > 0 && tail.charAt(end - 1) == '\r') {
                                tail.setLength(end - 1);
                            }
                            lines.add(tail.toString());
                            tail.setLength(0);
                        } else {
                            tail.append(c);
                        }
                    }
                    lock.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // stream closed by close(): fall through to EOF handling
        } finally {
            synchronized (lock) {
                streamsAtEof++;
                lock.notifyAll();
            }
        }
    }
}

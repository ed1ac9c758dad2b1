package org.dtlsip.dtls.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dtlsip.dtls.engine.ResumableSession;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CryptoWarmUp;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.ServiceIdentity;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.util.Addresses;

/**
 * {@code dtls-client}: a DTLS 1.2 client modelled on {@code openssl s_client}. Each stdin line
 * is sent as one record; received records are printed. End of input sends close_notify.
 * Exit status: 0 after a clean close, 1 with one line naming the reason otherwise.
 */
public final class DtlsClientMain {
    private static final String USAGE = """
            usage: dtls-client -connect HOST:PORT [options]
              -connect HOST:PORT    server to connect to
              -wait-ms N            after end of input, wait this long for replies before closing (default 500)
              -sess_out FILE        save the session for resumption
              -sess_in FILE         offer the saved session (abbreviated handshake if the server agrees)
              -verify_hostname NAME with -CAfile: the certificate must name NAME (default: the -connect host)
              -verify_ip IP         with -CAfile: the certificate must name the address IP
              -noverify_name        with -CAfile: accept any name in a trusted certificate (insecure)
            """ + CommonOptions.USAGE + """
            Exit status: 0 after a clean close, 1 with one line naming the reason otherwise (unknown
            host, unreadable file, failed handshake), 2 for a bad option.
            """;

    private DtlsClientMain() {
    }

    public static void main(String[] argv) {
        CliLogging.configure();
        CryptoWarmUp.start(); // overlaps class loading with start-up and the first round trips
        System.exit(run(argv, System.out, System.err));
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        return run(argv, System.in, out, err);
    }

    /** The program, reading the lines to send from {@code in}. */
    static int run(String[] argv, InputStream in, PrintStream out, PrintStream err) {
        Set<String> values = new HashSet<>(CommonOptions.VALUES);
        values.addAll(Set.of("-connect", "-wait-ms", "-sess_out", "-sess_in", "-verify_hostname", "-verify_ip"));
        Set<String> flags = new HashSet<>(CommonOptions.FLAGS);
        flags.add("-noverify_name");
        try {
            Args args = Args.parse(argv, flags, values);
            if (args.flag("-help")) {
                out.print(USAGE);
                return 0;
            }
            return connect(args, in, out, err);
        } catch (Args.UsageException e) {
            // Like OpenSSL 3's s_client/s_server: the reason, then where the options are.
            err.println("dtls-client: " + e.getMessage());
            err.println("dtls-client: use -help for the options");
            return 2;
        } catch (IOException | IllegalArgumentException e) {
            err.println(e instanceof DtlsException ? e.getMessage() : "dtls-client: " + Args.describe(e));
            trace(err, e);
            return 1;
        }
    }

    private static InetSocketAddress target(String connect) throws IOException {
        if (connect == null) {
            throw new Args.UsageException("-connect HOST:PORT is required");
        }
        int colon = connect.lastIndexOf(':');
        if (colon <= 0) {
            throw new Args.UsageException("-connect takes HOST:PORT, got '" + connect + "'");
        }
        String host = connect.substring(0, colon).replace("[", "").replace("]", "");
        InetSocketAddress server = new InetSocketAddress(host, CommonOptions.port("-connect", connect.substring(colon + 1), 1));
        if (server.isUnresolved()) {
            throw new IOException("cannot resolve " + host + " (-connect " + connect + "): no such host");
        }
        return server;
    }

    private static int connect(Args args, InputStream in, PrintStream out, PrintStream err) throws IOException {
        InetSocketAddress server = target(args.value("-connect"));
        if (!CommonOptions.hasVerifier(args)) {
            throw new Args.UsageException("no way to verify the server: pass -CAfile FILE, -fingerprint SHA256HEX, "
                    + "or -insecure (accept any certificate)");
        }
        boolean quiet = args.flag("-quiet");
        DtlsConfig.Builder builder = CommonOptions.toConfig(args, DtlsConfig.Role.CLIENT, server.getAddress() instanceof java.net.Inet6Address);
        String verifiedName = expectServerName(args, builder, server.getHostString(), err);
        CommonOptions.messageTrace(args, builder, out);
        if (args.value("-sess_out") != null) {
            builder.requestSessionTickets(true); // a client that saves its session wants a ticket too
        }
        if (args.value("-sess_in") != null) {
            Path sessionFile = Path.of(args.value("-sess_in"));
            String pem = CommonOptions.readFile("session", args.value("-sess_in"), f -> Files.readString(f, StandardCharsets.US_ASCII));
            try {
                builder.resumeSession(ResumableSession.fromPem(pem));
            } catch (org.dtlsip.dtls.util.DecodeException e) {
                throw new Args.UsageException(sessionFile + " holds no saved session (" + e.getMessage() + "); write one with -sess_out");
            }
        }
        DtlsConfig config = builder.build();
        long waitMillis = args.intValue("-wait-ms", 500);
        try (DtlsClient client = DtlsClient.connect(server, config)) {
            DtlsSession session = client.session();
            if (!quiet) {
                out.println("CONNECTED " + Addresses.format(server) + " "
                        + session.protocol() + " " + session.cipherSuiteName()
                        + (session.peerCertificates().isEmpty() ? " (PSK)"
                                : " server certificate SHA-256 " + Fingerprint.format(Fingerprint.sha256(session.peerCertificates().get(0)))));
                if (verifiedName != null && !session.peerCertificates().isEmpty()) {
                    out.println("Verified peername: " + verifiedName);
                }
                out.flush();
            }
            CommonOptions.printNegotiated(out, args, session);
            if (!quiet) {
                out.println((session.resumed() ? "Reused, " : "New, ") + session.protocol() + ", Cipher is "
                        + session.cipherSuiteName());
            }
            int status = converse(client, in, out, err, quiet, waitMillis);
            // After the conversation: a DTLS 1.3 ticket arrives after the handshake (RFC 8446 4.6.1).
            if (args.value("-sess_out") != null) {
                if (session.resumable() == null) {
                    err.println("dtls-client: the server offered no " + (session.isDtls13() ? "NewSessionTicket"
                            : "session ID or ticket") + "; nothing written to " + args.value("-sess_out"));
                } else {
                    Files.writeString(Path.of(args.value("-sess_out")), session.resumable().toPem(), StandardCharsets.US_ASCII);
                }
            }
            return status;
        }
    }

    /** What the conversation's main loop waits for: a stdin line, its end, or the end of the association. */
    private sealed interface Input {
    }

    private record Line(String text) implements Input {
    }

    private record EndOfInput() implements Input {
    }

    /** The reader thread's last word: the peer's close_notify ({@code failure == null}) or why reading stopped. */
    private record Ended(IOException failure) implements Input {
    }

    /**
     * Sends each stdin line as one record and prints what arrives, until end of input (then
     * waits up to {@code waitMillis} for replies) or until the server closes, whichever is first:
     * like s_client, a server's close_notify ends the program at once, with status 0, even
     * while stdin is still open.
     */
    private static int converse(DtlsClient client, InputStream stdin, PrintStream out, PrintStream err, boolean quiet,
            long waitMillis) throws IOException {
        BlockingQueue<Input> inputs = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> inputs.add(printIncoming(client, out)), "dtls-client-reader");
        reader.setDaemon(true);
        reader.start();
        // stdin cannot be interrupted, so it is read on a daemon thread the program does not wait for.
        Thread lines = new Thread(() -> readLines(stdin, inputs, err), "dtls-client-stdin");
        lines.setDaemon(true);
        lines.start();
        try {
            boolean inputEnded = false;
            long waitUntil = 0;
            while (true) {
                Input next;
                if (!inputEnded) {
                    next = inputs.take();
                } else {
                    long left = waitUntil - System.nanoTime() / 1_000_000;
                    next = inputs.poll(Math.max(0, left), TimeUnit.MILLISECONDS);
                    if (next == null) {
                        if (client.engine().failure() != null) {
                            throw client.engine().failure();
                        }
                        return 0; // the caller's try-with-resources sends close_notify
                    }
                }
                if (next instanceof Line line && !inputEnded) {
                    try {
                        client.send((line.text() + "\n").getBytes(StandardCharsets.UTF_8));
                    } catch (DtlsException e) {
                        if (!client.peerClosed()) {
                            throw e;
                        }
                        // The server closed meanwhile; the reader's Ended says so next.
                    }
                } else if (next instanceof EndOfInput) {
                    inputEnded = true;
                    waitUntil = System.nanoTime() / 1_000_000 + waitMillis;
                } else if (next instanceof Ended ended) {
                    if (ended.failure() == null) {
                        if (!quiet) {
                            out.println("CLOSED by peer (close_notify): the server closed the connection");
                            out.flush();
                        }
                        return 0;
                    }
                    if (ended.failure() instanceof DtlsException || client.engine().failure() != null) {
                        throw client.engine().failure() != null ? client.engine().failure() : ended.failure();
                    }
                    err.println("receive: " + (ended.failure() instanceof java.net.PortUnreachableException
                            ? "the server's port is unreachable (ICMP): it has gone away" : Args.describe(ended.failure())));
                    trace(err, ended.failure());
                    return 1;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static void readLines(InputStream stdin, BlockingQueue<Input> inputs, PrintStream err) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                inputs.add(new Line(line));
            }
        } catch (IOException e) {
            err.println("dtls-client: stdin: " + Args.describe(e));
        }
        inputs.add(new EndOfInput());
    }

    /**
     * Which name a certificate trusted through -CAfile must carry (RFC 9525), as OpenSSL 3's
     * s_client takes it: -verify_hostname or -verify_ip, else (our default, where OpenSSL checks
     * none) the host of -connect. -noverify_name turns the check off, with a warning.
     *
     * @return the name checked, or {@code null} when none is
     */
    private static String expectServerName(Args args, DtlsConfig.Builder builder, String connectHost, PrintStream err) {
        String hostname = args.value("-verify_hostname");
        String ip = args.value("-verify_ip");
        if (hostname != null && ip != null) {
            throw new Args.UsageException("choose one of -verify_hostname and -verify_ip");
        }
        if (args.flag("-noverify_name")) {
            if (hostname != null || ip != null) {
                throw new Args.UsageException("-noverify_name contradicts -verify_hostname/-verify_ip");
            }
            builder.noServerNameCheck();
            if (args.value("-CAfile") != null) {
                err.println("dtls-client: warning: -noverify_name: the server's name is not checked, so any certificate "
                        + "issued by a CA in -CAfile is accepted for any server");
            }
            return null;
        }
        try {
            if (hostname != null) {
                builder.expectedServerName(ServiceIdentity.dns(hostname).name());
            } else if (ip != null) {
                builder.expectedServerName(ServiceIdentity.ip(ip).name());
            } else {
                builder.expectedServerName(connectHost);
            }
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException((hostname != null ? "-verify_hostname: " : ip != null ? "-verify_ip: " : "-connect: ")
                    + e.getMessage());
        }
        return args.value("-CAfile") == null ? null : hostname != null ? hostname : ip != null ? ip : connectHost;
    }

    /** Prints records until the association ends; returns how it ended. */
    private static Ended printIncoming(DtlsClient client, PrintStream out) {
        try {
            while (true) {
                byte[] data;
                try {
                    data = client.receive(60_000);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (data == null) {
                    // End of stream: the server's close_notify, or our own close (then nobody listens).
                    return new Ended(null);
                }
                out.print(new String(data, StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            return new Ended(e);
        }
    }

    /** With -Ddtlsip.trace=true (via DTLSIP_JAVA_OPTS), the stack trace behind a one-line error. */
    private static void trace(PrintStream err, Exception e) {
        if (Boolean.getBoolean("dtlsip.trace")) {
            e.printStackTrace(err);
        }
    }
}

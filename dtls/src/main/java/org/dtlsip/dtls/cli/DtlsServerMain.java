package org.dtlsip.dtls.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CryptoWarmUp;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.io.DtlsServer;
import org.dtlsip.dtls.io.ServerLimits;
import org.dtlsip.dtls.util.Addresses;

/**
 * {@code dtls-server}: a DTLS 1.2 server modelled on {@code openssl s_server}. It prints what
 * it receives, sends each stdin line to every connected peer, and with {@code -echo} sends
 * every record back.
 */
public final class DtlsServerMain {
    private static final String USAGE = """
            usage: dtls-server [options]
              -port N               UDP port to listen on (default 4433)
              -bind ADDR            address to listen on (default 127.0.0.1)
              -echo                 send every received record back
              -naccept N            exit after N associations have ended
              -verify               ask for a client certificate
              -Verify               require a client certificate
            """ + CommonOptions.USAGE + """
            Exit status: 0 after -naccept associations ended, 1 when the server could not start
            (unreadable file, address not available), 2 for a bad option.
            """;

    /** Eviction waits this long after the handshake timeout, so that the engine's reason is reported. */
    static final long EVICTION_MARGIN_MILLIS = 1_000;

    private DtlsServerMain() {
    }

    public static void main(String[] argv) {
        CliLogging.configure();
        CryptoWarmUp.start(); // overlaps class loading with start-up and the first round trips
        System.exit(run(argv, System.out, System.err));
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Set<String> flags = new HashSet<>(CommonOptions.FLAGS);
        flags.add("-echo");
        Set<String> values = new HashSet<>(CommonOptions.VALUES);
        values.addAll(Set.of("-port", "-bind", "-naccept"));
        try {
            Args args = Args.parse(argv, flags, values);
            if (args.flag("-help")) {
                out.print(USAGE);
                return 0;
            }
            return serve(args, out, err);
        } catch (Args.UsageException e) {
            // Like OpenSSL 3's s_client/s_server: the reason, then where the options are.
            err.println("dtls-server: " + e.getMessage());
            err.println("dtls-server: use -help for the options");
            return 2;
        } catch (IOException | IllegalArgumentException e) {
            err.println("dtls-server: " + Args.describe(e));
            return 1;
        }
    }

    private static int serve(Args args, PrintStream out, PrintStream err) throws IOException {
        boolean quiet = args.flag("-quiet");
        // The command line first, then anything slow (reading files, generating a certificate).
        int port = CommonOptions.port("-port", args.value("-port", "4433"), 0);
        String bindName = args.value("-bind", "127.0.0.1");
        int naccept = args.intValue("-naccept", -1);
        InetAddress bind;
        try {
            bind = InetAddress.getByName(bindName);
        } catch (UnknownHostException e) {
            throw new IOException("-bind " + bindName + ": no such host or address", e);
        }
        DtlsConfig.Builder builder = CommonOptions.toConfig(args, DtlsConfig.Role.SERVER, bindName.contains(":"));
        CommonOptions.messageTrace(args, builder, out);
        if (args.flag("-Verify")) {
            builder.clientAuth(DtlsConfig.ClientAuth.NEED);
        } else if (args.flag("-verify")) {
            builder.clientAuth(DtlsConfig.ClientAuth.WANT);
        }
        if ((args.flag("-verify") || args.flag("-Verify")) && !CommonOptions.hasVerifier(args)) {
            throw new Args.UsageException("-verify/-Verify need -CAfile, -fingerprint or -insecure to check client certificates");
        }
        if (args.value("-cert") == null) {
            // Named for every way a local client connects (-connect localhost, 127.0.0.1 or [::1]),
            // so that a client trusting it with -CAfile also finds its name (RFC 9525).
            CertifiedKey generated = SelfSigned.ecdsa("dtlsip ephemeral server", SelfSigned.LOCAL_NAMES, NamedGroup.SECP256R1);
            builder.certifiedKey(generated);
            CommonOptions.printFingerprint(out, "Generated self-signed server", generated);
        }
        DtlsConfig config = builder.build();
        boolean echo = args.flag("-echo");
        AtomicInteger ended = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        Set<DtlsServer.Association> peers = ConcurrentHashMap.newKeySet();

        DtlsServer.Handler handler = new DtlsServer.Handler() {
            @Override
            public void onHandshakeComplete(DtlsServer.Association a) {
                peers.add(a);
                if (!quiet) {
                    out.println("ACCEPT " + Addresses.format(a.peer())
                            + " " + a.session().protocol() + " " + a.session().cipherSuiteName()
                            + (a.session().peerCertificates().isEmpty() ? ""
                                    : " client certificate SHA-256 " + Fingerprint.format(
                                            Fingerprint.sha256(a.session().peerCertificates().get(0)))));
                    out.flush();
                }
                CommonOptions.printNegotiated(out, args, a.session());
            }

            @Override
            public void onData(DtlsServer.Association a, byte[] data) {
                out.print(new String(data, StandardCharsets.UTF_8));
                out.flush();
                if (echo) {
                    try {
                        a.send(data);
                    } catch (IOException e) {
                        err.println("echo to " + Addresses.format(a.peer()) + " failed: " + Args.describe(e));
                    }
                }
            }

            @Override
            public void onClosed(DtlsServer.Association a, DtlsException failure) {
                peers.remove(a);
                if (failure != null) {
                    err.println(Addresses.format(a.peer()) + ": " + failure.getMessage());
                } else if (!quiet) {
                    out.println("CLOSED " + Addresses.format(a.peer()) + " (close_notify)");
                    out.flush();
                }
                if (naccept > 0 && ended.incrementAndGet() >= naccept) {
                    done.countDown();
                }
            }
        };
        // A stalled handshake ends when -handshake-timeout-ms says (not at ServerLimits' 30 s): the
        // engine gives up and says why; eviction follows only as a backstop.
        ServerLimits limits = ServerLimits.defaults()
                .withHandshakeDeadlineMillis(config.handshakeTimeoutMillis() + EVICTION_MARGIN_MILLIS);
        try (DtlsServer server = DtlsServer.bind(new InetSocketAddress(bind, port), config, limits, handler)) {
            server.start();
            if (!quiet) {
                out.println("Listening on " + Addresses.format(server.localAddress()) + " (DTLSv1.2)");
                out.flush();
            }
            Thread stdin = new Thread(() -> forwardStdin(peers, err), "dtls-server-stdin");
            stdin.setDaemon(true);
            stdin.start();
            done.await();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static void forwardStdin(Set<DtlsServer.Association> peers, PrintStream err) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                byte[] data = (line + "\n").getBytes(StandardCharsets.UTF_8);
                for (DtlsServer.Association a : peers) {
                    try {
                        a.send(data);
                    } catch (IOException e) {
                        err.println("send to " + Addresses.format(a.peer()) + " failed: " + Args.describe(e));
                    }
                }
            }
        } catch (IOException e) {
            err.println("stdin: " + e.getMessage());
        }
    }
}

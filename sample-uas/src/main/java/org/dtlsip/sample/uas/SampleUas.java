package org.dtlsip.sample.uas;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.dtlsip.media.session.MediaOptions;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.SampleCommandLine;
import org.dtlsip.sample.SampleFailure;
import org.dtlsip.sample.SampleVersion;
import org.dtlsip.sample.Transport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/sample-uas}: a SIP UAS on any mix of udp, tcp, tls and dtls-udp. */
@Command(name = "sample-uas", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = SampleVersion.class,
        description = {"Answers SIP calls over udp, tcp, tls and dtls-udp at once: INVITE with 100/180/200 and an SDP "
                + "answer; ACK, BYE, CANCEL (487), OPTIONS, re-INVITE; other requests get the status code RFC 3261 "
                + "gives them. One line per call; a summary on Ctrl-C."},
        footer = {"", "Ports: udp and tcp default to 5060, tls and dtls-udp to 5061. --port N puts every transport on N, "
                + "except that when both a UDP kind (udp, dtls-udp) and a TCP kind (tcp, tls) of the same socket type would "
                + "collide, the secure one takes N+1. --transport dtls-udp:5071 sets one transport's port. Port 0: any free port."})
public final class SampleUas implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--transport", paramLabel = "udp|tcp|tls|dtls-udp|dtls[:PORT]",
            description = "transport to listen on; repeatable (default: dtls-udp)")
    List<String> transports = new ArrayList<>();

    @Option(names = "--port", paramLabel = "N", description = "port for the transports (see below)")
    Integer port;

    @Option(names = "--address", paramLabel = "IP", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String address = "127.0.0.1";

    @Option(names = "--dtls-protocols", paramLabel = "DTLSv1.3,DTLSv1.2",
            description = "DTLS versions dtls-udp speaks: DTLSv1.3,DTLSv1.2 (the highest the client offers), DTLSv1.2 or "
                    + "DTLSv1.3 (default: the library's, DTLSv1.3,DTLSv1.2)")
    String dtlsProtocols;

    @Option(names = "--cert", paramLabel = "PEM", description = "certificate chain, leaf first (default: a generated self-signed ECDSA certificate)")
    Path cert;

    @Option(names = "--key", paramLabel = "PEM", description = "private key of --cert")
    Path key;

    @Option(names = "--trust", paramLabel = "PEM", description = "require client certificates issued by (or equal to) these")
    Path trust;

    @Option(names = "--fingerprint", paramLabel = "SHA256HEX", description = "require a client certificate with this fingerprint; repeatable")
    List<String> fingerprints = new ArrayList<>();

    @Option(names = "--ring-ms", paramLabel = "T", description = "ring this long before answering (default: ${DEFAULT-VALUE})")
    long ringMillis;

    @Option(names = "--quiet", description = "no line per call; the summary still prints")
    boolean quiet;

    @Option(names = "--trace", description = "print every SIP message received and sent and every DTLS record and "
            + "handshake message (epoch, sequence number, message_seq, fragment, retransmissions, alerts) as they happen")
    boolean trace;

    @Option(names = "--auth", paramLabel = "USER:PASSWORD[,USER:PASSWORD...]",
            description = "digest accounts (SHA-256 and MD5): challenge REGISTER and INVITE, and act as registrar for "
                    + "our domain (INVITE only to registered users, else 404); repeatable")
    List<String> auth = new ArrayList<>();

    @Option(names = "--realm", paramLabel = "R", description = "digest realm, also accepted as our domain (default: --address)")
    String realm;

    @Option(names = "--media-seconds", paramLabel = "N", description = "DTLS-SRTP media: answer a UDP/TLS/RTP/SAVP offer "
            + "with a=setup:active, open the media DTLS association after the ACK and send a 440 Hz tone (PCMU in SRTP) "
            + "until the BYE, at most N seconds (default: ${DEFAULT-VALUE})")
    int mediaSeconds = 60;

    @Option(names = "--record", paramLabel = "DIR", description = "write the audio each call received to DIR/call-N.wav")
    Path record;

    @Option(names = "--no-media", description = "signalling only: decline DTLS-SRTP offers (port 0 in the answer)")
    boolean noMedia;

    private final PrintStream out;
    private final PrintStream err;
    private final CountDownLatch stop;
    private volatile Uas running;

    SampleUas(PrintStream out, PrintStream err, CountDownLatch stop) {
        this.out = out;
        this.err = err;
        this.stop = stop;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, null));
    }

    /**
     * Runs the UAS until the JVM is interrupted (Ctrl-C) or {@code stop} counts down; for
     * tests, pass a latch.
     *
     * @return the exit code: 0 after a clean stop, 1 if it could not start, 2 for bad usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        SampleUas command = new SampleUas(out, err, stop == null ? new CountDownLatch(1) : stop);
        return SampleCommandLine.execute("sample-uas", command, args, out, err);
    }

    /** Resolves the transports and their ports (see the command's footer). */
    static Map<Transport, Integer> ports(List<String> specs, Integer port) {
        List<String> given = specs.isEmpty() ? List.of("dtls-udp") : specs;
        Map<Transport, Integer> explicit = new LinkedHashMap<>();
        for (String s : given) {
            int colon = s.lastIndexOf(':');
            Transport t = Transport.parse(colon < 0 ? s : s.substring(0, colon));
            Integer p = null;
            if (colon >= 0) {
                try {
                    p = Integer.parseInt(s.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad port in --transport " + s);
                }
            }
            if (explicit.containsKey(t)) {
                throw new IllegalArgumentException("--transport " + t.uriParam() + " given twice");
            }
            explicit.put(t, p);
        }
        Map<Transport, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<Transport, Integer> e : explicit.entrySet()) {
            Transport t = e.getKey();
            int p;
            if (e.getValue() != null) {
                p = e.getValue();
            } else if (port == null) {
                p = t.defaultPort();
            } else {
                boolean collides = port != 0 && t.secure() && explicit.containsKey(t.datagram() ? Transport.UDP : Transport.TCP)
                        && explicit.get(t.datagram() ? Transport.UDP : Transport.TCP) == null;
                p = collides ? port + 1 : port;
            }
            out.put(t, p);
        }
        return out;
    }

    /** {@code --auth} values to accounts, or {@code null} if there are none; the realm defaults to {@code address}. */
    static Uas.Auth accounts(List<String> specs, String realm, String address) {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String spec : specs) {
            for (String pair : spec.split(",")) {
                int colon = pair.indexOf(':');
                if (colon <= 0 || colon == pair.length() - 1) {
                    throw new IllegalArgumentException("--auth wants USER:PASSWORD, got '" + pair + "'");
                }
                if (passwords.put(pair.substring(0, colon), pair.substring(colon + 1)) != null) {
                    throw new IllegalArgumentException("--auth: user " + pair.substring(0, colon) + " given twice");
                }
            }
        }
        if (passwords.isEmpty()) {
            if (realm != null) {
                throw new IllegalArgumentException("--realm needs --auth USER:PASSWORD");
            }
            return null;
        }
        String r = realm == null ? address : realm;
        if (r.isBlank() || r.contains("\"")) {
            throw new IllegalArgumentException("--realm must be a non-empty name without quotes");
        }
        return new Uas.Auth(r, passwords);
    }

    @Override
    public Integer call() {
        Map<Transport, Integer> ports;
        try {
            ports = ports(transports, port);
        } catch (IllegalArgumentException e) {
            err.println("sample-uas: " + e.getMessage());
            return 2;
        }
        Uas.Auth accounts;
        try {
            accounts = accounts(auth, realm, address);
        } catch (IllegalArgumentException e) {
            err.println("sample-uas: " + e.getMessage());
            return 2;
        }
        if (dtlsProtocols != null) {
            try {
                org.dtlsip.sip.DtlsSipProperties.protocols(dtlsProtocols);
            } catch (IllegalArgumentException e) {
                err.println("sample-uas: --dtls-protocols: "
                        + e.getMessage().replace(org.dtlsip.sip.DtlsSipProperties.PROTOCOLS + ": ", ""));
                return 2;
            }
        }
        Uas uas;
        try {
            Credentials creds = Credentials.of(cert, key, "sample-uas", trust, fingerprints);
            if (mediaSeconds < 0 || (noMedia && record != null)) {
                err.println("sample-uas: --media-seconds must be >= 0, and --record needs media (no --no-media)");
                return 2;
            }
            MediaOptions media = noMedia ? null : MediaOptions.defaults().withSendMillis(mediaSeconds * 1000L);
            uas = Uas.start(creds, address, ports, ringMillis, quiet, out, accounts, trace, media, record, dtlsProtocols);
            out.println("uas: listening on " + uas.describeListeners());
            if (accounts != null) {
                out.println("uas: registrar for " + address + (accounts.realm().equals(address) ? "" : " and " + accounts.realm())
                        + ", realm \"" + accounts.realm() + "\", " + accounts.passwords().size() + " account"
                        + (accounts.passwords().size() == 1 ? "" : "s") + "; REGISTER and INVITE are challenged");
            }
            out.println("uas: media " + (noMedia ? "off: DTLS-SRTP offers are declined"
                    : "DTLS-SRTP (answer active, tone up to " + mediaSeconds + " s" + (record == null ? "" : ", recording to " + record) + ")"));
            if (ports.containsKey(Transport.TLS) || ports.containsKey(Transport.DTLS_UDP)) {
                out.println("uas: certificate fingerprint " + creds.fingerprint() + (creds.generated() ? " (generated, self-signed)" : ""));
                out.println("uas: client certificates " + (creds.checksPeer()
                        ? "required (" + (creds.pins().isEmpty() ? "--trust" : "--fingerprint") + ")" : "not asked for"));
            }
        } catch (SampleFailure e) {
            err.println("sample-uas: " + e.getMessage());
            return 1;
        }
        running = uas;
        Thread hook = new Thread(() -> {
            stopAndSummarize();
        }, "uas-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already: the hook prints the summary
            return 0;
        }
        stopAndSummarize();
        return 0;
    }

    private synchronized void stopAndSummarize() {
        Uas uas = running;
        if (uas != null) {
            running = null;
            uas.close();
            out.print(uas.summary());
            out.flush();
        }
    }
}

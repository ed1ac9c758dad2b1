package org.dtlsip.sample.uac;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dtlsip.media.audio.ToneGenerator;
import org.dtlsip.media.session.MediaOptions;
import org.dtlsip.sample.CallMedia;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.SampleCommandLine;
import org.dtlsip.sample.SampleFailure;
import org.dtlsip.sample.SampleVersion;
import org.dtlsip.sample.Transport;
import org.dtlsip.sip.DtlsSipProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/sample-uac}: places calls to a SIP URI and prints what they cost. */
@Command(name = "sample-uac", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = SampleVersion.class,
        description = {"Places calls INVITE -> 200 -> ACK -> hold -> BYE -> 200 to a SIP URI over udp, tcp, tls or "
                + "dtls-udp, then prints calls ok/failed by reason and setup times (the first call, which includes any "
                + "DTLS or TLS handshake, apart). Exits 0 only when every call succeeded."},
        footer = {"", "On SIGINT (Ctrl-C) or SIGTERM: places no more calls, ends those in progress (BYE, or CANCEL while "
                + "ringing), waits at most 3 s for their answers and prints the summary of the calls placed so far.", "",
            "Exit status: 0 every call succeeded, 1 some call failed, 2 could not start (bad option, address, "
                + "certificate), 130 stopped by SIGINT, 143 stopped by SIGTERM."})
public final class SampleUac implements Callable<Integer> {
    @Option(names = "--target", required = true, paramLabel = "SIP-URI",
            description = "whom to call, e.g. sip:uas@127.0.0.1:5061;transport=dtls-udp")
    String target;

    @Option(names = "--transport", paramLabel = "udp|tcp|tls|dtls-udp|dtls",
            description = "transport, if the target has no transport parameter (default: udp)")
    String transport;

    @Option(names = "--calls", paramLabel = "N", description = "calls to place (default: ${DEFAULT-VALUE})")
    int calls = 1;

    @Option(names = "--concurrency", paramLabel = "C", description = "calls at a time after the first (default: ${DEFAULT-VALUE})")
    int concurrency = 1;

    @Option(names = "--hold-ms", paramLabel = "T", description = "time between ACK and BYE (default: ${DEFAULT-VALUE})")
    long holdMillis = 100;

    @Option(names = "--timeout-ms", paramLabel = "T", description = "longest wait for a final response (default: ${DEFAULT-VALUE})")
    long timeoutMillis = 10_000;

    @Option(names = "--ladder", description = "print the message ladder of the first call")
    boolean ladder;

    @Option(names = "--trace", description = "the first call's ladder with every DTLS record and handshake message in it "
            + "(epoch, sequence number, message_seq, fragment, retransmissions, alerts); DTLS lines outside that call are "
            + "printed as they happen; no progress bar")
    boolean trace;

    @Option(names = "--dtls-protocols", paramLabel = "DTLSv1.3,DTLSv1.2",
            description = "DTLS versions offered over dtls-udp: DTLSv1.3,DTLSv1.2 (the server picks the highest both speak), "
                    + "DTLSv1.2 or DTLSv1.3 (default: the library's, DTLSv1.3,DTLSv1.2)")
    String dtlsProtocols;

    @Option(names = "--cert", paramLabel = "PEM", description = "our certificate chain (default: a generated self-signed ECDSA certificate)")
    Path cert;

    @Option(names = "--key", paramLabel = "PEM", description = "private key of --cert")
    Path key;

    @Option(names = "--trust", paramLabel = "PEM", description = "trust servers whose certificate is issued by (or equal to) these")
    Path trust;

    @Option(names = "--fingerprint", paramLabel = "SHA256HEX", description = "accept only a server certificate with this fingerprint; repeatable")
    List<String> fingerprints = new ArrayList<>();

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    @Option(names = "--user", paramLabel = "U", description = "digest user name: answer 401/407 challenges (SHA-256 or MD5); "
            + "our AOR is sip:U@target-host")
    String user;

    @Option(names = "--password", paramLabel = "P", description = "digest password of --user")
    String password;

    @Option(names = "--register", description = "register our Contact with the target's domain first, refresh it, "
            + "unregister at exit (needs --user)")
    boolean register;

    @Option(names = "--expires", paramLabel = "S", description = "registration time asked for (default: ${DEFAULT-VALUE} s)")
    int expires = 600;

    @Option(names = "--proxy", paramLabel = "SIP-URI", description = "outbound proxy: every request outside a call goes "
            + "through it (a Route), in-call requests follow its Record-Route, e.g. sip:127.0.0.1:5071;transport=dtls-udp;lr")
    String proxy;

    @Option(names = "--media-seconds", paramLabel = "N", description = "DTLS-SRTP media in every call (RFC 5763/5764): offer "
            + "UDP/TLS/RTP/SAVP with a=fingerprint and a=setup:actpass, run DTLS on the media port after the 200 and send "
            + "N seconds of a 440 Hz tone (PCMU in SRTP) after the ACK, then BYE; replaces --hold-ms (default: ${DEFAULT-VALUE})")
    double mediaSeconds = 2;

    @Option(names = "--record", paramLabel = "FILE.wav", description = "write the audio the first call received to FILE.wav")
    Path record;

    @Option(names = "--no-media", description = "signalling only: offer plain RTP/AVP, send no media (for load tests)")
    boolean noMedia;

    private final PrintStream out;
    private final PrintStream err;
    /** A process of its own: a signal ends the calls in progress and prints the summary so far ({@link ShutdownHandler}). */
    private final boolean handleSignals;
    private Uac.Result result;

    SampleUac(PrintStream out, PrintStream err, boolean handleSignals) {
        this.out = out;
        this.err = err;
        this.handleSignals = handleSignals;
    }

    public static void main(String[] args) {
        System.exit(SampleCommandLine.execute("sample-uac", new SampleUac(System.out, System.err, true), args, System.out,
                System.err));
    }

    /**
     * Runs the command; returns its exit status (tests and the demo call this rather than
     * {@link #main}; it leaves signals to the JVM hosting it).
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return SampleCommandLine.execute("sample-uac", new SampleUac(out, err, false), args, out, err);
    }

    @Override
    public Integer call() {
        Transport t;
        try {
            t = transport == null ? null : Transport.parse(transport);
        } catch (IllegalArgumentException e) {
            err.println("sample-uac: " + e.getMessage());
            return 2;
        }
        if (dtlsProtocols != null) {
            try {
                DtlsSipProperties.protocols(dtlsProtocols);
            } catch (IllegalArgumentException e) {
                err.println("sample-uac: --dtls-protocols: " + e.getMessage().replace(DtlsSipProperties.PROTOCOLS + ": ", ""));
                return 2;
            }
        }
        if (!(mediaSeconds >= 0) || (noMedia && record != null)) {
            err.println("sample-uac: --media-seconds must be >= 0, and --record needs media (no --no-media)");
            return 2;
        }
        Uac.Plan plan = new Uac.Plan(target, t, calls, concurrency, holdMillis, timeoutMillis, ladder, !noProgress && !trace, trace)
                .withDtlsProtocols(dtlsProtocols);
        if (!noMedia) {
            plan = plan.withMedia(MediaOptions.defaults().withSendMillis(Math.round(mediaSeconds * 1000)), record);
        }
        Uac uac;
        try {
            Credentials creds = Credentials.of(cert, key, "sample-uac", trust, fingerprints);
            uac = Uac.start(creds, plan,
                    new Uac.Signalling(user, password, register, expires, proxy), out);
        } catch (SampleFailure e) {
            err.println("sample-uac: " + e.getMessage());
            return 2;
        }
        ShutdownHandler signals = handleSignals ? ShutdownHandler.install(uac, out, r -> summary(uac, r)) : null;
        try {
            if (register) {
                try {
                    uac.register();
                } catch (SampleFailure e) {
                    err.println("sample-uac: registration failed: " + e.getMessage());
                    return 1;
                }
            }
            out.printf("uac: %d call%s to %s over %s, %d at a time after the first, %s%n", calls, calls == 1 ? "" : "s",
                    uac.targetUri(), uac.transport(), concurrency, noMedia ? "hold " + holdMillis + " ms"
                            : "DTLS-SRTP media for " + mediaSeconds + " s");
            result = uac.run();
            if (signals != null && !signals.finished(result)) {
                return ShutdownHandler.EXIT_SIGTERM; // the JVM is exiting on a signal; the hook prints the summary
            }
            summary(uac, result);
            return result.allOk() ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("sample-uac: interrupted");
            return 1;
        } finally {
            if (handleSignals) {
                uac.closeForExit(); // main() exits next
            } else {
                uac.close();
            }
            if (signals != null) {
                signals.close();
            }
        }
    }

    private void summary(Uac uac, Uac.Result r) {
        if (uac.handshakeLine() != null) {
            out.println(uac.handshakeLine());
        }
        print(r, out);
    }

    /** The summary table. */
    static void print(Uac.Result r, PrintStream out) {
        out.printf("uac: calls          %d ok, %d failed (of %d, in %.2f s)%n", r.ok(), r.calls() - r.ok(), r.calls(),
                r.wallMillis() / 1000);
        for (Map.Entry<String, Integer> f : r.failures().entrySet()) {
            out.printf("uac:   failed %4d  %s%n", f.getValue(), f.getKey());
        }
        if (r.transport().secure()) {
            out.println("uac: server cert    " + (r.peerFingerprint() == null ? "unknown (no call completed)" : r.peerFingerprint()));
            if (r.protocol() != null) {
                out.println("uac: protocol       " + r.protocol());
            }
            out.println("uac: suite          " + (r.suite() == null ? "unknown (no call completed)" : r.suite()));
        }
        String handshake = r.transport() == Transport.DTLS_UDP ? " (includes the DTLS handshake)"
                : r.transport() == Transport.TLS ? " (includes TCP and TLS handshakes)"
                : r.transport() == Transport.TCP ? " (includes the TCP handshake)" : "";
        out.println("uac: setup time     INVITE sent to 200 received");
        out.println("uac:   first call   " + (Double.isNaN(r.firstSetupMillis()) ? "failed" : ms(r.firstSetupMillis()) + handshake));
        if (r.calls() > 1) {
            out.printf("uac:   later calls  p50 %s  p95 %s  p99 %s  (%d ok)%n", ms(r.laterPercentile(50)), ms(r.laterPercentile(95)),
                    ms(r.laterPercentile(99)), r.laterSetupMillis().size());
        }
        if (r.firstWire() != null) {
            out.println("uac: loopback       packets and bytes on lo per call (all loopback traffic of this host or namespace):");
            out.printf("uac:   first call   %d packets, %d bytes%n", r.firstWire().packets(), r.firstWire().bytes());
            if (r.laterWire() != null) {
                out.printf("uac:   later calls  %.1f packets, %.0f bytes%n", r.laterWire().packets() / (double) (r.calls() - 1),
                        r.laterWire().bytes() / (double) (r.calls() - 1));
            }
        }
        if (r.media() != null) {
            printMedia(r.media(), out);
        }
        if (!Double.isNaN(r.cpuMillisFirst())) {
            out.printf("uac: cpu (this JVM)  first call %.1f ms%s%n", r.cpuMillisFirst(),
                    Double.isNaN(r.cpuMillisLater()) ? "" : String.format(", later calls %.2f ms each", r.cpuMillisLater()));
        }
    }

    /** The media part of the summary: the first call's report, then totals when there were more calls. */
    static void printMedia(UacMedia.Totals m, PrintStream out) {
        if (m.first() != null) {
            List<String> lines = CallMedia.describe(m.first(), ToneGenerator.DEFAULT_FREQUENCY);
            out.println("uac: media          " + lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                out.println("uac:                " + line);
            }
        }
        for (Map.Entry<String, Integer> n : m.notNegotiated().entrySet()) {
            out.printf("uac: media          none in %d call%s: %s%n", n.getValue(), n.getValue() == 1 ? "" : "s", n.getKey());
        }
        if (m.ok() + m.failed() > 1) {
            out.printf("uac: media totals   %d ok, %d failed; packets sent %d, received %d, lost %d%n", m.ok(), m.failed(), m.sent(),
                    m.received(), m.lost());
        }
    }

    static String ms(double v) {
        return Double.isNaN(v) ? "-" : v >= 100 ? String.format("%.0f ms", v) : String.format("%.1f ms", v);
    }
}

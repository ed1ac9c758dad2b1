package org.dtlsip.sample.uac;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.SampleFailure;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;

/**
 * One transport's row of {@code bin/compare}: a UAS and a UAC in this JVM (separate stacks and
 * ports on loopback) place N calls one at a time with no hold, and one CSV line is printed:
 * {@value #HEADER}. Run it in a fresh JVM per transport, so that no transport inherits
 * another's warmed-up code, and in a fresh network namespace, so that the loopback counters
 * count only these calls. CPU is this JVM's, so both ends of each call.
 */
public final class CompareRun {
    public static final String HEADER = "transport,calls,ok,first_setup_ms,later_p50_ms,later_p95_ms,"
            + "first_packets,first_bytes,later_packets_per_call,later_bytes_per_call,later_cpu_ms_per_call";

    private CompareRun() {
    }

    /** Arguments: TRANSPORT CALLS. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: CompareRun udp|tcp|tls|dtls-udp CALLS");
            System.exit(2);
        }
        Transport t = Transport.parse(args[0]);
        int calls = Integer.parseInt(args[1]);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try {
            Credentials uasCreds = Credentials.of(null, null, "sample-uas", null, List.of());
            try (Uas uas = Uas.start(uasCreds, "127.0.0.1", Map.of(t, 0), 0, true, quiet)) {
                Credentials uacCreds = Credentials.of(null, null, "sample-uac", null, List.of(uasCreds.fingerprint()));
                String target = "sip:uas@127.0.0.1:" + uas.port(t) + ";transport=" + t.uriParam();
                Uac.Result r;
                try (Uac uac = Uac.start(uacCreds, new Uac.Plan(target, t, calls, 1, 0, 10_000, false, false), quiet)) {
                    r = uac.run();
                }
                System.out.println(row(r));
                System.exit(r.allOk() ? 0 : 1);
            }
        } catch (SampleFailure e) {
            System.err.println("compare: " + t.uriParam() + ": " + e.getMessage());
            System.exit(1);
        }
    }

    static String row(Uac.Result r) {
        int later = r.calls() - 1;
        return String.format(Locale.ROOT, "%s,%d,%d,%.2f,%.2f,%.2f,%s,%s,%s,%s,%.3f", r.transport().uriParam(), r.calls(), r.ok(),
                r.firstSetupMillis(), r.laterPercentile(50), r.laterPercentile(95),
                r.firstWire() == null ? "" : r.firstWire().packets(), r.firstWire() == null ? "" : r.firstWire().bytes(),
                r.laterWire() == null ? "" : String.format(Locale.ROOT, "%.1f", r.laterWire().packets() / (double) later),
                r.laterWire() == null ? "" : String.format(Locale.ROOT, "%.0f", r.laterWire().bytes() / (double) later),
                r.cpuMillisLater());
    }
}

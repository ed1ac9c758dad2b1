package org.dtlsip.bench.sip;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.dtlsip.bench.Table;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uac.Uac;
import org.dtlsip.sample.uas.Uas;

/**
 * {@code bin/bench sip}: SIP calls through JAIN-SIP with the sample user agents
 * ({@link Uas}, {@link Uac}: INVITE → 100/180/200 → ACK → BYE → 200, no hold, SDP offer/answer),
 * both in this JVM on 127.0.0.1, per transport:
 * <ul>
 * <li>warm-up: every transport in turn, then again just before its measurement: one UAC stack
 * places {@code warmup} calls (JIT; discarded);</li>
 * <li><b>cold</b>: {@code cold} fresh UAC stacks, one call each: setup time (INVITE → 200) of a
 * call that must first open the TCP connection and TLS handshake, or the DTLS handshake (the JVM
 * is warm; the association is not);</li>
 * <li><b>warm</b>: one fresh UAC stack places 1 + N calls, the first alone (it sets the
 * association up), then N with {@code concurrency} in flight: calls/s is all 1 + N calls divided
 * by that UAC's wall time (the first call is included: well under 1 % of the run), setup
 * p50/p95 over the N.</li>
 * </ul>
 * TLS is the JAIN-SIP RI's own TLS transport (JSSE, TLS 1.2, ECDHE-ECDSA), DTLS-UDP is ours
 * (sip-transport). Both ends use generated P-256 certificates; the UAC pins the UAS's fingerprint.
 */
public final class SipScenario {
    private SipScenario() {
    }

    public static Table run(List<String> transports, int calls, int concurrency, int warmup, int cold)
            throws Exception {
        Table t = new Table(List.of("transport", "concurrency", "calls", "ok", "calls_per_s", "setup_p50_ms",
                "setup_p95_ms", "cpu_ms_per_call", "cold_setup_p50_ms", "cold_setup_max_ms", "dtls_calls_ratio"));
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        // Warm every transport's code first, so that the order of the measured transports matters less.
        for (String name : transports) {
            Transport tr = Transport.parse(name);
            Credentials uasCreds = Credentials.of(null, null, "sample-uas", null, List.of());
            Credentials uacCreds = Credentials.of(null, null, "sample-uac", null, List.of(uasCreds.fingerprint()));
            try (Uas uas = Uas.start(uasCreds, "127.0.0.1", Map.of(tr, 0), 0, true, quiet)) {
                System.out.println("-- warm-up " + name + ": " + warmup + " calls");
                place(uacCreds, target(uas, tr), tr, warmup, concurrency, quiet);
            }
        }
        for (String name : transports) {
            Transport tr = Transport.parse(name);
            Credentials uasCreds = Credentials.of(null, null, "sample-uas", null, List.of());
            Credentials uacCreds = Credentials.of(null, null, "sample-uac", null, List.of(uasCreds.fingerprint()));
            try (Uas uas = Uas.start(uasCreds, "127.0.0.1", Map.of(tr, 0), 0, true, quiet)) {
                String target = target(uas, tr);
                System.out.println("-- " + name + ": " + warmup + " more warm-up calls, " + cold + " cold calls, 1 + "
                        + calls + " measured (" + concurrency + " in flight)");
                place(uacCreds, target, tr, warmup, concurrency, quiet);
                double[] coldMs = new double[cold];
                for (int i = 0; i < cold; i++) {
                    coldMs[i] = place(uacCreds, target, tr, 1, 1, quiet).firstSetupMillis();
                }
                java.util.Arrays.sort(coldMs);
                Uac.Result r = place(uacCreds, target, tr, calls + 1, concurrency, quiet);
                Map<String, String> row = t.row();
                row.put("transport", tr.uriParam());
                row.put("concurrency", Integer.toString(concurrency));
                row.put("calls", Integer.toString(r.calls()));
                row.put("ok", Integer.toString(r.ok()));
                row.put("calls_per_s", Table.f(r.calls() / (r.wallMillis() / 1000.0), 0));
                row.put("setup_p50_ms", Table.f(r.laterPercentile(50), 2));
                row.put("setup_p95_ms", Table.f(r.laterPercentile(95), 2));
                row.put("cpu_ms_per_call", Table.f(r.cpuMillisLater(), 2));
                row.put("cold_setup_p50_ms", cold == 0 ? "" : Table.f(coldMs[(cold - 1) / 2], 1));
                row.put("cold_setup_max_ms", cold == 0 ? "" : Table.f(coldMs[cold - 1], 1));
                row.put("_cps", Double.toString(r.calls() / (r.wallMillis() / 1000.0)));
                System.out.println("   " + row);
                if (!r.failures().isEmpty()) {
                    System.out.println("   failures: " + r.failures());
                }
            }
        }
        Map<String, String> dtls = t.rows().stream().filter(r -> r.get("transport").equals("dtls-udp")).findFirst()
                .orElse(null);
        for (Map<String, String> r : t.rows()) {
            if (dtls != null) {
                r.put("dtls_calls_ratio", Table.f(Double.parseDouble(dtls.get("_cps")) / Double.parseDouble(r.get("_cps")), 2));
            }
        }
        t.rows().forEach(r -> r.remove("_cps"));
        return t;
    }

    private static String target(Uas uas, Transport tr) {
        return "sip:uas@127.0.0.1:" + uas.port(tr) + ";transport=" + tr.uriParam();
    }

    private static Uac.Result place(Credentials creds, String target, Transport tr, int calls, int concurrency,
            PrintStream quiet) throws Exception {
        try (Uac uac = Uac.start(creds, new Uac.Plan(target, tr, calls, concurrency, 0, 10_000, false, false), quiet)) {
            return uac.run();
        }
    }
}

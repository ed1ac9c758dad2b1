package org.dtlsip.sample.uac;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.SampleFailure;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;

/**
 * {@code bin/demo}: one SIP call over DTLS-UDP on loopback. A UAS with a generated self-signed
 * certificate, and a UAC, with its own generated certificate, that pins the UAS's fingerprint
 * and prints the call's ladder. Both run in this JVM, each on its own SIP stack and port.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err));
    }

    /** @return 0 when the call completed */
    public static int run(PrintStream out, PrintStream err) {
        Uas uas;
        String fingerprint;
        try {
            Credentials creds = Credentials.of(null, null, "sample-uas", null, List.of());
            fingerprint = creds.fingerprint();
            uas = Uas.start(creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0), 0, false, out);
        } catch (SampleFailure e) {
            err.println("demo: " + e.getMessage());
            return 1;
        }
        int rc;
        try {
            int port = uas.port(Transport.DTLS_UDP);
            out.println("uas: listening on " + uas.describeListeners() + ", certificate " + fingerprint + " (generated)");
            rc = SampleUac.run(new String[] {"--target", "sip:uas@127.0.0.1:" + port + ";transport=dtls-udp",
                "--fingerprint", fingerprint, "--ladder", "--hold-ms", "200", "--no-progress"}, out, err);
        } finally {
            uas.close();
        }
        out.print(uas.summary());
        out.println(rc == 0 ? "demo: OK: one SIP call over DTLS-UDP (DTLS handshake, INVITE, 200, ACK, BYE, 200); "
                + "next: bin/sample-uas and bin/sample-uac --help (README, \"Sample user agents\")"
                : "demo: FAILED: the uac: failed line above says why");
        return rc;
    }
}

package org.dtlsip.sample.uac;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dtlsip.media.session.MediaOptions;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.SampleFailure;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;

/**
 * {@code bin/demo}: one SIP call over DTLS-UDP on loopback. A UAS with a generated self-signed
 * certificate, and a UAC, with its own generated certificate, that pins the UAS's fingerprint
 * and prints the call's ladder. Both run in this JVM, each on its own SIP stack and port.
 * {@code bin/demo --media}: the call carries DTLS-SRTP media (2 s of tone each way), and the
 * demo prints the media statistics and where the UAC's recording of the UAS's tone went.
 */
public final class Demo {
    private Demo() {
    }

    public static void main(String[] args) {
        boolean media = args.length == 1 && args[0].equals("--media");
        if (args.length > 1 || (args.length == 1 && !media)) {
            System.err.println("usage: bin/demo [--media]");
            System.exit(2);
        }
        System.exit(run(System.out, System.err, media));
    }

    /** @return 0 when the call completed */
    public static int run(PrintStream out, PrintStream err) {
        return run(out, err, false);
    }

    /** @param media with DTLS-SRTP media ({@code --media}) */
    public static int run(PrintStream out, PrintStream err, boolean media) {
        Uas uas;
        String fingerprint;
        Path recording;
        try {
            Credentials creds = Credentials.of(null, null, "sample-uas", null, List.of());
            fingerprint = creds.fingerprint();
            uas = Uas.start(creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0), 0, false, out, null, false,
                    media ? MediaOptions.defaults() : null, null);
            recording = media ? Files.createTempFile("dtlsip-demo-", ".wav") : null;
        } catch (SampleFailure | IOException e) {
            err.println("demo: " + e.getMessage());
            return 1;
        }
        int rc;
        try {
            int port = uas.port(Transport.DTLS_UDP);
            out.println("uas: listening on " + uas.describeListeners() + ", certificate " + fingerprint + " (generated)");
            String target = "sip:uas@127.0.0.1:" + port + ";transport=dtls-udp";
            rc = SampleUac.run(media
                    ? new String[] {"--target", target, "--fingerprint", fingerprint, "--ladder", "--media-seconds", "2",
                        "--record", recording.toString(), "--no-progress"}
                    : new String[] {"--target", target, "--fingerprint", fingerprint, "--ladder", "--hold-ms", "200",
                        "--no-media", "--no-progress"}, out, err);
        } finally {
            uas.close();
        }
        out.print(uas.summary());
        if (recording != null) {
            out.println("demo: the UAC's recording of the UAS's tone: " + recording);
        }
        out.println(rc == 0 ? "demo: OK: one SIP call over DTLS-UDP (DTLS handshake, INVITE, 200, ACK, "
                + (media ? "DTLS-SRTP media both ways, " : "") + "BYE, 200); "
                + "next: bin/sample-uas and bin/sample-uac --help (README, \"Sample user agents\")"
                : "demo: FAILED: the uac: failed line above says why");
        return rc;
    }
}

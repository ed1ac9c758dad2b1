package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 6 acceptance 1, 3 and 4: the demo, 200 calls over DTLS-UDP, a UAC pinning the wrong fingerprint. */
@Timeout(90)
class SamplesTest {
    static Uas uas;
    static String fingerprint;
    static String dtlsTarget;
    static final Captured uasOut = new Captured();

    @BeforeAll
    static void startUas() throws Exception {
        Credentials creds = Credentials.of(null, null, "sample-uas", null, List.of());
        fingerprint = creds.fingerprint();
        uas = Uas.start(creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0, Transport.UDP, 0, Transport.TLS, 0), 0, true, uasOut.stream);
        dtlsTarget = "sip:uas@127.0.0.1:" + uas.port(Transport.DTLS_UDP) + ";transport=dtls-udp";
    }

    @AfterAll
    static void stopUas() {
        uas.close();
    }

    @Test
    void demoShowsInviteOkAckByeOkOverDtlsUdp() {
        Captured out = new Captured();
        assertEquals(0, Demo.run(out.stream, out.stream));
        String text = out.text();
        assertTrue(text.contains("over DTLS-UDP"), text);
        assertTrue(Pattern.compile("(?s)INVITE \\(SDP offer\\) -+>.*DTLS handshake complete.*<-+ 200 OK \\(INVITE\\).*ACK -+>"
                + ".*BYE -+>.*<-+ 200 OK \\(BYE\\)").matcher(text).find(), "ladder INVITE, 200, ACK, BYE, 200:\n" + text);
        List<String> lines = text.lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith("demo: OK: one SIP call over DTLS-UDP (DTLS handshake, INVITE, 200, "
                + "ACK, BYE, 200); next: bin/sample-uas and bin/sample-uac --help"), text);
    }

    @Test
    void twoHundredCallsTwentyAtATimeOverDtlsUdp() {
        Captured out = new Captured();
        int rc = SampleUac.run(new String[] {"--target", dtlsTarget, "--fingerprint", fingerprint, "--calls", "200",
            "--concurrency", "20", "--hold-ms", "0", "--no-progress"}, out.stream, out.stream);
        assertEquals(0, rc, out.text());
        assertTrue(out.text().contains("200 ok, 0 failed (of 200"), out.text());
        // Both samples speak DTLS 1.3 and 1.2 by default (issue 14).
        assertTrue(out.text().contains("protocol       DTLSv1.3"), out.text());
        assertTrue(out.text().contains("suite          TLS_AES_128_GCM_SHA256"), out.text());
    }

    @Test
    void tlsCallsThroughTheRiPinningTheFingerprint() {
        // The RI's TLS over TCP, as bin/compare runs it: NoDelayNetworkLayer under both stacks.
        Captured out = new Captured();
        int rc = SampleUac.run(new String[] {"--target", "sip:uas@127.0.0.1:" + uas.port(Transport.TLS) + ";transport=tls",
            "--fingerprint", fingerprint, "--calls", "20", "--concurrency", "5", "--hold-ms", "0", "--no-progress"},
                out.stream, out.stream);
        assertEquals(0, rc, out.text());
        assertTrue(out.text().contains("20 ok, 0 failed (of 20"), out.text());
    }

    @Test
    void wrongFingerprintFailsWithATlsReasonAndTheUasKeepsServing() {
        String other = Credentials.fingerprintOf(org.dtlsip.dtls.crypto.SelfSigned.ecdsa("someone else",
                org.dtlsip.dtls.crypto.NamedGroup.SECP256R1).leaf());
        Captured bad = new Captured();
        int rc = SampleUac.run(new String[] {"--target", dtlsTarget, "--fingerprint", other, "--calls", "2",
            "--no-progress", "--timeout-ms", "5000"}, bad.stream, bad.stream);
        assertEquals(1, rc, bad.text());
        assertTrue(bad.text().contains("0 ok, 2 failed"), bad.text());
        assertTrue(bad.text().contains("DTLS handshake failed: server certificate rejected"), bad.text());
        assertTrue(bad.text().contains("bad_certificate"), bad.text());
        assertTrue(!bad.text().contains("\tat "), "no stack trace");

        Captured good = new Captured();
        assertEquals(0, SampleUac.run(new String[] {"--target", dtlsTarget, "--fingerprint", fingerprint, "--calls", "3",
            "--no-progress", "--hold-ms", "0"}, good.stream, good.stream), good.text());
        assertTrue(uasOut.text().contains("received fatal alert bad_certificate (still serving)"), uasOut.text());
    }

    @Test
    void udpCallsAndNoTrustForDtlsIsOneLine() {
        Captured out = new Captured();
        assertEquals(0, SampleUac.run(new String[] {"--target", "sip:uas@127.0.0.1:" + uas.port(Transport.UDP), "--calls", "5",
            "--concurrency", "2", "--hold-ms", "0", "--no-progress"}, out.stream, out.stream), out.text());
        Captured err = new Captured();
        assertEquals(2, SampleUac.run(new String[] {"--target", dtlsTarget}, err.stream, err.stream));
        assertEquals("sample-uac: a dtls-udp client must check the server: give --trust PEM or --fingerprint SHA256HEX",
                err.text().trim());
    }

    @Test
    void aBadOptionIsItsReasonAndAPointerToHelp() {
        Captured c = new Captured();
        assertEquals(2, SampleUac.run(new String[] {"--target", "sip:uas@127.0.0.1", "--bogus"}, c.stream, c.stream));
        assertEquals(List.of("sample-uac: Unknown option: '--bogus'", "sample-uac: use --help for the options"),
                c.text().lines().toList());
        Captured s = new Captured();
        assertEquals(2, org.dtlsip.sample.uas.SampleUas.run(new String[] {"--port", "x"}, s.stream, s.stream,
                new java.util.concurrent.CountDownLatch(0)));
        assertEquals(List.of("sample-uas: Invalid value for option '--port': 'x' is not an int",
                "sample-uas: use --help for the options"), s.text().lines().toList());
    }

    @Test
    void badAddressAndPortInUseAreOneLine() {
        Captured a = new Captured();
        assertEquals(2, SampleUac.run(new String[] {"--target", "sip:uas@no-such-host.invalid:5060"}, a.stream, a.stream));
        assertEquals(1, a.text().trim().lines().count(), a.text());
        assertTrue(a.text().startsWith("sample-uac: bad target address 'no-such-host.invalid'"), a.text());

        Captured b = new Captured();
        int rc = org.dtlsip.sample.uas.SampleUas.run(new String[] {"--transport", "udp:" + uas.port(Transport.UDP)},
                b.stream, b.stream, new java.util.concurrent.CountDownLatch(0));
        assertEquals(1, rc, b.text());
        assertEquals("sample-uas: cannot listen on udp 127.0.0.1:" + uas.port(Transport.UDP) + ": port in use", b.text().trim());
    }
}

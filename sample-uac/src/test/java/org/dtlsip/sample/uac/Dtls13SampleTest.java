package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The samples over DTLS 1.3 (RFC 9147): {@code --dtls-protocols} on both, calls over 1.3, the
 * negotiated version in the UAC's summary, handshake line and ladder and in the UAS's line per
 * peer; a UAC left at the default (DTLS 1.2) still reaches the same UAS (RFC 8446 4.2.1).
 */
@Timeout(90)
class Dtls13SampleTest {
    static Uas uas;
    static String fingerprint;
    static String target;
    static final Captured uasOut = new Captured();

    @BeforeAll
    static void startUas() throws Exception {
        Credentials creds = Credentials.of(null, null, "sample-uas", null, List.of());
        fingerprint = creds.fingerprint();
        uas = Uas.start(creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0), 0, false, uasOut.stream, null, false, null, null,
                "DTLSv1.3,DTLSv1.2");
        target = "sip:uas@127.0.0.1:" + uas.port(Transport.DTLS_UDP) + ";transport=dtls-udp";
    }

    @AfterAll
    static void stopUas() {
        uas.close();
    }

    @Test
    void callsOverDtls13PrintTheProtocol() {
        Captured out = new Captured();
        int rc = SampleUac.run(new String[] {"--target", target, "--fingerprint", fingerprint, "--calls", "3",
            "--hold-ms", "0", "--no-progress", "--dtls-protocols", "DTLSv1.3,DTLSv1.2"}, out.stream, out.stream);
        assertEquals(0, rc, out.text());
        String text = out.text();
        assertTrue(text.contains("3 ok, 0 failed (of 3"), text);
        assertTrue(text.contains("uac: protocol       DTLSv1.3"), text);
        assertTrue(text.matches("(?s).*uac: suite          TLS_(AES|CHACHA20)_\\w+\\R.*"), text);
        assertTrue(text.contains("complete: DTLSv1.3, suite TLS_"), text);
        assertTrue(uasOut.text().contains(": handshake complete, DTLSv1.3, suite TLS_"), uasOut.text());
    }

    @Test
    void ladderNotesTheDtls13Handshake() {
        Captured out = new Captured();
        int rc = SampleUac.run(new String[] {"--target", target, "--fingerprint", fingerprint, "--calls", "1",
            "--hold-ms", "0", "--trace", "--dtls-protocols", "DTLSv1.3"}, out.stream, out.stream);
        assertEquals(0, rc, out.text());
        assertTrue(out.text().contains("DTLS handshake complete: DTLSv1.3 TLS_"), out.text());
    }

    @Test
    void uacPinnedToDtls12ReachesTheSameUasOverDtls12() {
        Captured out = new Captured();
        int rc = SampleUac.run(new String[] {"--target", target, "--fingerprint", fingerprint, "--calls", "1",
            "--hold-ms", "0", "--no-progress", "--dtls-protocols", "DTLSv1.2"}, out.stream, out.stream);
        assertEquals(0, rc, out.text());
        assertTrue(out.text().contains("uac: protocol       DTLSv1.2"), out.text());
        assertTrue(out.text().contains("uac: suite          TLS_ECDHE_"), out.text());
    }

    /** Issue 14: with no --dtls-protocols the UAC offers DTLS 1.3 and 1.2, and 1.3 is agreed. */
    @Test
    void defaultUacSpeaksDtls13() {
        Captured out = new Captured();
        int rc = SampleUac.run(new String[] {"--target", target, "--fingerprint", fingerprint, "--calls", "1",
            "--hold-ms", "0", "--no-progress"}, out.stream, out.stream);
        assertEquals(0, rc, out.text());
        assertTrue(out.text().contains("uac: protocol       DTLSv1.3"), out.text());
        assertTrue(out.text().contains("uac: suite          TLS_AES_128_GCM_SHA256"), out.text());
    }

    @Test
    void badDtlsProtocolsIsOneLine() {
        Captured out = new Captured();
        assertEquals(2, SampleUac.run(new String[] {"--target", target, "--fingerprint", fingerprint,
            "--dtls-protocols", "DTLSv1.1"}, out.stream, out.stream));
        assertEquals("sample-uac: --dtls-protocols: unknown protocol version \"DTLSv1.1\"; use DTLSv1.2 or DTLSv1.3",
                out.text().trim());
        Captured s = new Captured();
        assertEquals(2, org.dtlsip.sample.uas.SampleUas.run(new String[] {"--port", "0", "--dtls-protocols", ","},
                s.stream, s.stream, new java.util.concurrent.CountDownLatch(0)));
        assertTrue(s.text().startsWith("sample-uas: --dtls-protocols: "), s.text());
    }
}

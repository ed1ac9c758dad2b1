package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 16: a UAC pinning the wrong {@code --fingerprint} is told so at once, over TLS as over
 * DTLS-UDP: the server's fingerprint, the expected one, and the fix; not a timeout.
 */
@Timeout(60)
class WrongFingerprintTest {
    static Uas uas;
    static String actual;
    static final Captured uasOut = new Captured();

    @BeforeAll
    static void startUas() throws Exception {
        Credentials creds = Credentials.of(null, null, "sample-uas", null, List.of());
        actual = creds.fingerprint();
        uas = Uas.start(creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0, Transport.TLS, 0), 0, true, uasOut.stream);
    }

    @AfterAll
    static void stopUas() {
        uas.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Transport.class, names = {"TLS", "DTLS_UDP"})
    void aWrongFingerprintSaysItDidNotMatchWithBothFingerprintsAndTheFix(Transport t) {
        String expected = Credentials.fingerprintOf(SelfSigned.ecdsa("someone else", NamedGroup.SECP256R1).leaf());
        Captured out = new Captured();
        int rc = SampleUac.run(new String[] {"--target", "sip:uas@127.0.0.1:" + uas.port(t) + ";transport=" + t.uriParam(),
            "--fingerprint", expected, "--calls", "2", "--timeout-ms", "600000", "--no-progress"}, out.stream, out.stream);
        assertEquals(1, rc, out.text());
        assertTrue(out.text().contains("uac: calls          0 ok, 2 failed (of 2,"), out.text());
        List<String> failed = out.text().lines().filter(l -> l.startsWith("uac:   failed")).toList();
        assertFalse(failed.isEmpty(), out.text());
        String mismatch = "peer certificate fingerprint SHA-256 " + actual + " matches none of the expected [" + expected + "]";
        String fix = "; if that is the peer you meant, pin it: --fingerprint " + actual;
        String handshake = (t == Transport.TLS ? "TLS" : "DTLS") + " handshake failed: server certificate rejected: ";
        assertTrue(failed.get(0).contains(handshake + mismatch), out.text());
        for (String line : failed) {
            assertTrue(line.contains(mismatch) && line.endsWith(fix), "every call says it, with the fix: " + out.text());
        }
        assertFalse(out.text().contains("timeout"), out.text());
    }
}

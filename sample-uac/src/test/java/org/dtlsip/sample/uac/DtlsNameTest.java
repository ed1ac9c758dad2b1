package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The samples know {@code dtls} as a name of dtls-udp. A UAC calling a {@code transport=dtls}
 * target writes DTLS in its Via and Contact; the UAS answers with a {@code transport=dtls}
 * Contact, so the ACK and BYE find it over DTLS (the UAS listens on nothing else).
 */
@Timeout(60)
class DtlsNameTest {
    @Test
    void callsToATransportDtlsTargetCompleteOverDtls() throws Exception {
        Credentials creds = Credentials.of(null, null, "sample-uas", null, List.of());
        Captured uasOut = new Captured();
        try (Uas uas = Uas.start(creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0), 0, false, uasOut.stream)) {
            Captured out = new Captured();
            int rc = SampleUac.run(new String[] {"--target", "sip:uas@127.0.0.1:" + uas.port(Transport.DTLS_UDP) + ";transport=dtls",
                "--fingerprint", creds.fingerprint(), "--calls", "2", "--hold-ms", "0", "--no-progress"}, out.stream, out.stream);
            assertEquals(0, rc, out.text());
            assertTrue(out.text().contains("2 ok, 0 failed"), out.text());
            assertTrue(uasOut.text().contains("call 1 over DTLS-UDP from 127.0.0.1:"), uasOut.text());
            assertTrue(uasOut.text().contains("BYE 200"), uasOut.text());

            Captured alias = new Captured();
            rc = SampleUac.run(new String[] {"--target", "sip:uas@127.0.0.1:" + uas.port(Transport.DTLS_UDP), "--transport", "dtls",
                "--fingerprint", creds.fingerprint(), "--hold-ms", "0", "--no-progress"}, alias.stream, alias.stream);
            assertEquals(0, rc, alias.text());
        }
    }

    @Test
    void anUnknownTransportIsAUsageError() {
        Captured err = new Captured();
        assertEquals(2, SampleUac.run(new String[] {"--target", "sip:uas@127.0.0.1", "--transport", "sctp"}, err.stream, err.stream));
        assertEquals("sample-uac: unknown transport 'sctp': use udp, tcp, tls, dtls-udp or dtls", err.text().trim());
    }
}

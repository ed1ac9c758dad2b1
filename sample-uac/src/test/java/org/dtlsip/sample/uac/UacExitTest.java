package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample-uac process leaves without the RI's second of sleep at stop
 * ({@link org.dtlsip.sample.SampleStack#closeForExit()}) and still closes its DTLS association
 * with close_notify: the UAS holds none open afterwards (its idle timeout is far longer than
 * this test waits).
 */
@Timeout(120)
class UacExitTest {
    /** Polls of the UAS after the UAC exited, 50 ms apart. */
    private static final int POLLS = 200;

    @Test
    void theUacProcessClosesItsDtlsAssociationWhenItExits(@TempDir Path dir) throws Exception {
        Credentials creds = Credentials.of(null, null, "sample-uas", null, List.of());
        Uas uas = Uas.start(creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0), 0, true, new Captured().stream);
        try (UacProcess uac = UacProcess.start(dir, "--target", "sip:uas@127.0.0.1:" + uas.port(Transport.DTLS_UDP)
                + ";transport=dtls-udp", "--fingerprint", creds.fingerprint(), "--calls", "2", "--hold-ms", "0", "--no-progress")) {
            assertEquals(0, uac.waitFor(60), uac.output());
            assertTrue(uac.output().contains("uac: calls          2 ok, 0 failed (of 2,"), uac.output());
            for (int i = 0; i < POLLS && !uas.summary().contains(" 0 associations open"); i++) {
                Thread.sleep(50);
            }
            assertTrue(uas.summary().contains("1 handshakes completed, 0 failed, 0 associations open"), uas.summary());
        } finally {
            uas.close();
        }
    }
}

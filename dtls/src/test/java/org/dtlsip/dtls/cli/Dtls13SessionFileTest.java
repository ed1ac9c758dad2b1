package org.dtlsip.dtls.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.io.DtlsServer;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dtls-client -sess_out} and {@code -sess_in} with DTLS 1.3 (the default): the ticket of
 * the server's NewSessionTicket, which follows the handshake (RFC 8446 4.6.1), is saved once the
 * conversation is over, and the next run resumes with it.
 */
class Dtls13SessionFileTest {
    @TempDir
    Path dir;

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = CliRunner.client(args, new ByteArrayInputStream("ping\n".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, text);
        return text;
    }

    @Test
    void aSavedDtls13TicketResumesTheNextRun() throws IOException {
        CertifiedKey key = TestKeys.ec();
        DtlsServer.Handler echo = (a, data) -> {
            try {
                a.send(data);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        Path session = dir.resolve("session.pem");
        try (DtlsServer server = DtlsServer.bind(new InetSocketAddress("127.0.0.1", 0),
                DtlsConfig.forServer().certifiedKey(key).build(), echo).start()) {
            String target = "127.0.0.1:" + server.localAddress().getPort();
            String fingerprint = Fingerprint.format(Fingerprint.sha256(key.leaf()));
            String first = run("-connect", target, "-fingerprint", fingerprint, "-sess_out", session.toString());
            assertTrue(first.contains("New, DTLSv1.3, Cipher is TLS_AES_128_GCM_SHA256"), first);
            assertTrue(Files.readString(session).contains("BEGIN DTLSIP SESSION"), first);
            String second = run("-connect", target, "-fingerprint", fingerprint, "-sess_in", session.toString());
            assertTrue(second.contains("Reused, DTLSv1.3, Cipher is TLS_AES_128_GCM_SHA256"), second);
        }
    }
}

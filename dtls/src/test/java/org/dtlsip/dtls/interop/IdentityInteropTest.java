package org.dtlsip.dtls.interop;

import static org.dtlsip.dtls.interop.Interop.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.dtlsip.dtls.cli.CliRunner;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.io.DtlsServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Service identity (RFC 9525) against OpenSSL 3, both ways, with CA-issued certificates.
 *
 * <p>OpenSSL 3.0 facts: s_server reports our refusal as {@code ...:SSL alert number 42}
 * (bad_certificate); s_client {@code -verify_hostname N -verify_return_error} prints
 * {@code Verified peername: N} and {@code Verification: OK} on a match, and on a mismatch
 * {@code verify error:num=62:hostname mismatch} and sends its own alert.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IdentityInteropTest {
    private static final String SUITE = "ECDHE-ECDSA-AES128-GCM-SHA256";

    @BeforeEach
    void requireOpenSsl() {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
    }

    private record Cli(int status, String out, String err) {
    }

    /** bin/dtls-client in this JVM, with an empty stdin: handshake, close_notify, exit. */
    private static Cli dtlsClient(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        InputStream stdin = System.in;
        int status;
        synchronized (IdentityInteropTest.class) {
            System.setIn(new ByteArrayInputStream(new byte[0]));
            try {
                status = CliRunner.client(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
            } finally {
                System.setIn(stdin);
            }
        }
        return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static OpenSslPeer openSslServer(int port, TestPki.Issued cert) throws Exception {
        return OpenSslPeer.server(port, List.of("-cert", cert.chainPem().toString(), "-key", cert.keyPem().toString(),
                "-cipher", SUITE));
    }

    @Test
    void ourClientRefusesAnOpenSslServerWhoseCertificateIsForAnotherName() throws Exception {
        TestPki.Issued other = TestPki.issued("other.example", List.of("other.example"));
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = openSslServer(port, other)) {
            Cli c = dtlsClient("-connect", "localhost:" + port, "-CAfile", other.caPem().toString(), "-quiet");
            assertEquals(1, c.status(), c.err());
            List<String> lines = c.err().lines().toList();
            assertEquals(1, lines.size(), "one line: " + c.err());
            String line = lines.get(0);
            assertTrue(line.startsWith("handshake failed: server certificate rejected: the certificate is for "
                    + "DNS:other.example, not for the host name 'localhost'"), line);
            assertTrue(line.endsWith("(sent fatal alert bad_certificate)"), line);
            server.awaitLine(Pattern.compile("alert bad certificate.*SSL alert number 42"), WAIT);
        }
    }

    @Test
    void ourClientRefusesItWithServerNameSetToo() throws Exception {
        // The report: -servername localhost changed what was sent, not what was checked.
        TestPki.Issued other = TestPki.issued("other.example", List.of("other.example"));
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = openSslServer(port, other)) {
            Cli c = dtlsClient("-connect", "localhost:" + port, "-CAfile", other.caPem().toString(),
                    "-servername", "localhost", "-quiet");
            assertEquals(1, c.status(), c.err());
            assertTrue(c.err().contains("not for the host name 'localhost'") && c.err().contains("bad_certificate"), c.err());
            server.awaitLine(Pattern.compile("SSL alert number 42"), WAIT);
        }
    }

    @Test
    void ourClientAcceptsTheRightNameByDefaultAndSendsItAsServerName() throws Exception {
        TestPki.Issued local = TestPki.issued("localhost", List.of("localhost", "127.0.0.1", "::1"));
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = openSslServer(port, local)) {
            Cli c = dtlsClient("-connect", "localhost:" + port, "-CAfile", local.caPem().toString(), "-wait-ms", "100");
            assertEquals(0, c.status(), c.out() + c.err());
            assertTrue(c.out().contains("Verified peername: localhost"), c.out());
            server.awaitLine(("CIPHER is " + SUITE)::equals, WAIT);
        }
    }

    @Test
    void verifyHostnameAndVerifyIpNameWhatIsChecked() throws Exception {
        TestPki.Issued other = TestPki.issued("other.example", List.of("other.example", "127.0.0.1"));
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = openSslServer(port, other)) {
            Cli c = dtlsClient("-connect", "127.0.0.1:" + port, "-CAfile", other.caPem().toString(),
                    "-verify_hostname", "other.example", "-wait-ms", "100");
            assertEquals(0, c.status(), c.out() + c.err());
            assertTrue(c.out().contains("Verified peername: other.example"), c.out());
        }
        try (OpenSslPeer server = openSslServer(port, other)) {
            Cli c = dtlsClient("-connect", "localhost:" + port, "-CAfile", other.caPem().toString(),
                    "-verify_ip", "127.0.0.1", "-wait-ms", "100");
            assertEquals(0, c.status(), c.out() + c.err());
            assertTrue(c.out().contains("Verified peername: 127.0.0.1"), c.out());
        }
        try (OpenSslPeer server = openSslServer(port, other)) {
            Cli c = dtlsClient("-connect", "127.0.0.1:" + port, "-CAfile", other.caPem().toString(),
                    "-verify_ip", "::1", "-quiet");
            assertEquals(1, c.status(), c.err());
            assertTrue(c.err().contains("not for the IP address '0:0:0:0:0:0:0:1'") && c.err().contains("bad_certificate"),
                    c.err());
        }
    }

    @Test
    void noVerifyNameIsAnExplicitPrintedOptOut() throws Exception {
        TestPki.Issued other = TestPki.issued("other.example", List.of("other.example"));
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = openSslServer(port, other)) {
            Cli c = dtlsClient("-connect", "localhost:" + port, "-CAfile", other.caPem().toString(), "-noverify_name",
                    "-wait-ms", "100");
            assertEquals(0, c.status(), c.out() + c.err());
            assertTrue(c.err().startsWith("dtls-client: warning: -noverify_name: the server's name is not checked"), c.err());
            assertTrue(!c.out().contains("Verified peername"), c.out());
        }
        Cli both = dtlsClient("-connect", "localhost:1", "-CAfile", other.caPem().toString(), "-noverify_name",
                "-verify_hostname", "x.example");
        assertEquals(2, both.status());
        assertTrue(both.err().startsWith("dtls-client: -noverify_name contradicts"), both.err());
    }

    @Test
    void openSslClientVerifiesOurServersHostname() throws Exception {
        TestPki.Issued local = TestPki.issued("localhost", List.of("localhost", "127.0.0.1", "::1"));
        DtlsConfig config = DtlsConfig.forServer().certifiedKey(local.leaf()).cipherSuites(SUITE).build();
        RecordingHandler events = new RecordingHandler();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(), config, events).start()) {
            int port = server.localAddress().getPort();
            try (OpenSslPeer client = OpenSslPeer.client("127.0.0.1", port, clientArgs(local, "-verify_hostname", "localhost"))) {
                assertNotNull(events.awaitHandshake(WAIT));
                client.awaitLine("Verified peername: localhost"::equals, WAIT);
                client.awaitLine("Verification: OK"::equals, WAIT);
                client.closeStdin();
                assertEquals(0, client.awaitExit(WAIT), client.output());
                assertNull(events.awaitClosed(WAIT).failure());
            }
            try (OpenSslPeer client = OpenSslPeer.client("127.0.0.1", port, clientArgs(local, "-verify_ip", "127.0.0.1"))) {
                assertNotNull(events.awaitHandshake(WAIT));
                client.awaitLine("Verification: OK"::equals, WAIT); // s_client names no peer for -verify_ip
                client.closeStdin();
                assertEquals(0, client.awaitExit(WAIT), client.output());
                events.awaitClosed(WAIT);
            }
            try (OpenSslPeer client = OpenSslPeer.client("127.0.0.1", port, clientArgs(local, "-verify_hostname", "other.example"))) {
                client.awaitLine(Pattern.compile("hostname mismatch"), WAIT);
                assertNotEquals(0, client.awaitExit(WAIT), client.output());
                RecordingHandler.Closed closed = events.awaitClosed(WAIT);
                assertNotNull(closed.failure());
                assertTrue(closed.failure().alertReceived());
                assertEquals(AlertDescription.BAD_CERTIFICATE, closed.failure().alert(),
                        "OpenSSL's alert for a name mismatch, as ours: " + closed.failure().getMessage());
            }
        }
    }

    @Test
    void ourClientWithThePkixVerifierAndTheDefaultNameFromTheHostItConnectsTo() throws Exception {
        // The library path the CLI takes: DtlsClient.connect names the server after the host.
        TestPki.Issued local = TestPki.issued("localhost", List.of("localhost"));
        int port = OpenSslPeer.freeUdpPort();
        DtlsConfig config = DtlsConfig.forClient().peerVerifier(PeerVerifier.pkix(List.of(local.ca().leaf())))
                .cipherSuites(SUITE).build();
        try (OpenSslPeer server = openSslServer(port, local);
             var client = org.dtlsip.dtls.io.DtlsClient.connect(
                     new java.net.InetSocketAddress("localhost", port), config)) {
            server.awaitLine(("CIPHER is " + SUITE)::equals, WAIT);
            assertEquals(local.leaf().leaf(), client.session().peerCertificates().get(0));
        }
        try (OpenSslPeer server = openSslServer(port, local)) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(org.dtlsip.dtls.engine.DtlsException.class,
                    () -> org.dtlsip.dtls.io.DtlsClient.connect(new java.net.InetSocketAddress(
                            java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), config));
            assertEquals(AlertDescription.BAD_CERTIFICATE, e.alert());
            assertTrue(e.getMessage().contains("'127.0.0.1'"), e.getMessage());
            server.awaitLine(Pattern.compile("SSL alert number 42"), WAIT);
        }
    }

    private static List<String> clientArgs(TestPki.Issued trusted, String... extra) {
        List<String> args = new ArrayList<>(List.of("-cipher", SUITE, "-CAfile", trusted.caPem().toString(),
                "-verify_return_error", "-nocommands"));
        args.addAll(List.of(extra));
        return args;
    }
}

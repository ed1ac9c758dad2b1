package org.dtlsip.dtls.interop;

import static org.dtlsip.dtls.interop.Interop.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ALPN (RFC 7301) and server_name (RFC 6066) against openssl.
 *
 * <p>OpenSSL 3.0.19 facts: s_server {@code -alpn a,b} prints
 * {@code ALPN protocols advertised by the client: x, y} and {@code ALPN protocols selected: z}
 * and chooses by its own preference order; without an overlap it fails the handshake with
 * no_application_protocol (its error line names {@code tls_handle_alpn:no application protocol}).
 * s_client {@code -alpn} prints {@code ALPN protocol: z} (or {@code No ALPN negotiated}); on our
 * alert it prints {@code ...:tlsv1 alert no application protocol:...:SSL alert number 120}.
 * s_server {@code -servername N -cert2 C -key2 K} answers a client asking for N with the second
 * certificate and prints {@code Hostname in TLS extension: "N"} and
 * {@code Switching server context.}; s_client shows the certificate it got as
 * {@code subject=CN = ...} under {@code Server certificate}.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AlpnSniInteropTest {

    private static final String SUITE = "ECDHE-ECDSA-AES128-GCM-SHA256";

    @BeforeEach
    void needOpenSsl() {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
    }

    // ---------------------------------------------------------------- ALPN

    @Test
    void ourClientGetsProtocolChosenByOpenSslServer() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, key, "-cipher", SUITE, "-alpn", "sip,h2")) {
            DtlsConfig config = Interop.clientPinning(key).cipherSuites(SUITE)
                    .applicationProtocols(List.of("h2", "sip")).build();
            try (DtlsClient client = DtlsClient.connect(Interop.loopback(port), config)) {
                assertEquals("sip", client.session().applicationProtocol(), "openssl prefers its own order");
                server.awaitLine("ALPN protocols advertised by the client: h2, sip"::equals, WAIT);
                server.awaitLine("ALPN protocols selected: sip"::equals, WAIT);
                server.awaitLine(("CIPHER is " + SUITE)::equals, WAIT);
            }
        }
    }

    /** openssl 3.0's s_server does not ignore ALPN without an overlap: it sends no_application_protocol (120). */
    @Test
    void openSslServerWithoutOverlapSendsNoApplicationProtocolToOurClient() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, key, "-cipher", SUITE, "-alpn", "h2")) {
            DtlsConfig config = Interop.clientPinning(key).cipherSuites(SUITE)
                    .applicationProtocols(List.of("sip")).build();
            DtlsException e = assertThrows(DtlsException.class,
                    () -> DtlsClient.connect(Interop.loopback(port), config).close());
            assertTrue(e.getMessage().contains("received fatal alert no_application_protocol"), e.getMessage());
            assertEquals(AlertDescription.NO_APPLICATION_PROTOCOL, e.alert());
            assertTrue(e.alertReceived(), "openssl sent the alert");
            server.awaitLine("ALPN protocols advertised by the client: sip"::equals, WAIT);
            server.awaitLine(Pattern.compile("tls_handle_alpn:no application protocol"), WAIT);
        }
    }

    @Test
    void openSslClientGetsProtocolChosenByOurServer() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        RecordingHandler events = new RecordingHandler();
        DtlsConfig config = Interop.server(key).cipherSuites(SUITE)
                .applicationProtocols(List.of("sip", "h2")).build();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(), config, events).start();
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", server.localAddress().getPort(),
                     clientArgs(key, "-alpn", "h2,sip"))) {
            assertEquals("sip", events.awaitHandshake(WAIT).session().applicationProtocol(),
                    "our server prefers its own order");
            client.awaitLine(("New, TLSv1.2, Cipher is " + SUITE)::equals, WAIT);
            client.awaitLine("ALPN protocol: sip"::equals, WAIT);
            client.closeStdin();
            assertNull(events.awaitClosed(WAIT).failure());
        }
    }

    @Test
    void ourServerSendsNoApplicationProtocolWithoutOverlap() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        RecordingHandler events = new RecordingHandler();
        DtlsConfig config = Interop.server(key).cipherSuites(SUITE)
                .applicationProtocols(List.of("sip", "h2")).build();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(), config, events).start();
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", server.localAddress().getPort(),
                     clientArgs(key, "-alpn", "foo"))) {
            client.awaitLine(Pattern.compile("tlsv1 alert no application protocol.*SSL alert number 120"), WAIT);
            assertNotEquals(0, client.awaitExit(WAIT), client.output());
            RecordingHandler.Closed closed = events.awaitClosed(WAIT);
            assertNotNull(closed.failure());
            assertEquals(AlertDescription.NO_APPLICATION_PROTOCOL, closed.failure().alert());
            assertFalse(closed.failure().alertReceived(), "our server sent the alert");
            assertNull(events.pollHandshake());
        }
    }

    // ---------------------------------------------------------------- SNI

    /** certA for a.example, certB by default: s_client asking for a.example gets certA. */
    @Test
    void openSslClientAskingForNameGetsThatNamesCertificateFromOurServer() throws Exception {
        TestPki.Material certA = TestPki.ecdsaP256();
        TestPki.Material certB = TestPki.ecdsaP384();
        RecordingHandler events = new RecordingHandler();
        DtlsConfig config = Interop.server(certB).cipherSuites(SUITE)
                .sniCertificate("a.example", Interop.certifiedKey(certA)).build();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(), config, events).start()) {
            int port = server.localAddress().getPort();
            try (OpenSslPeer client = OpenSslPeer.client("127.0.0.1", port,
                    clientArgs(certA, "-servername", "a.example"))) {
                DtlsSession session = events.awaitHandshake(WAIT).session();
                assertEquals("a.example", session.serverName());
                assertEquals(certA.certificate(), session.localCertificates().get(0));
                client.awaitLine("subject=CN = dtlsip-test-ec-p256"::equals, WAIT);
                client.awaitLine("    Verify return code: 0 (ok)"::equals, WAIT); // -CAfile certA
                client.closeStdin();
                assertNull(events.awaitClosed(WAIT).failure());
            }
            try (OpenSslPeer client = OpenSslPeer.client("127.0.0.1", port,
                    clientArgs(certB, "-servername", "other.example"))) {
                DtlsSession session = events.awaitHandshake(WAIT).session();
                assertEquals(certB.certificate(), session.localCertificates().get(0), "default certificate");
                client.awaitLine("subject=CN = dtlsip-test-ec-p384"::equals, WAIT);
                client.awaitLine("    Verify return code: 0 (ok)"::equals, WAIT);
                client.closeStdin();
                assertNull(events.awaitClosed(WAIT).failure());
            }
        }
    }

    /** s_server -servername b.example -cert2/-key2: our client naming b.example gets cert2. */
    @Test
    void ourClientNamingServerGetsOpenSslServersSecondCertificate() throws Exception {
        TestPki.Material defaultCert = TestPki.ecdsaP384();
        TestPki.Material cert2 = TestPki.ecdsaP256();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, defaultCert, "-cipher", SUITE,
                "-servername", "b.example", "-cert2", cert2.certPem().toString(),
                "-key2", cert2.keyPem().toString())) {
            DtlsConfig config = Interop.clientPinning(cert2).cipherSuites(SUITE).serverName("b.example").build();
            try (DtlsClient client = DtlsClient.connect(Interop.loopback(port), config)) {
                assertEquals(cert2.certificate(), client.session().peerCertificates().get(0));
                server.awaitLine("Hostname in TLS extension: \"b.example\""::equals, WAIT);
                server.awaitLine(("CIPHER is " + SUITE)::equals, WAIT);
            }
        }
    }

    private static List<String> clientArgs(TestPki.Material trusted, String... extra) {
        List<String> args = new ArrayList<>(List.of("-cipher", SUITE, "-CAfile", trusted.certPem().toString(),
                "-verify_return_error", "-nocommands"));
        args.addAll(List.of(extra));
        return args;
    }
}

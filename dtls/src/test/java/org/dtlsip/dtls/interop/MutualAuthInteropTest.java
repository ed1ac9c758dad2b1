package org.dtlsip.dtls.interop;

import static org.dtlsip.dtls.interop.Interop.WAIT;
import static org.dtlsip.dtls.interop.Interop.bytes;
import static org.dtlsip.dtls.interop.Interop.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Client certificates against openssl: our client's RSA-2048 certificate accepted by
 * {@code s_server -Verify 1}, openssl's client certificate checked by our NEED server, and the
 * failures when a required certificate is missing (each side), plus WANT letting a client
 * without one through.
 *
 * <p>OpenSSL 3.0.19 facts: {@code s_server -Verify 1} prints {@code depth=0 CN = ...},
 * {@code verify return:1}, then {@code Client certificate}, the PEM and {@code subject=CN = ...};
 * with no client certificate it prints {@code peer did not return a certificate} and sends
 * handshake_failure (40), not TLS 1.3's certificate_required (116). s_client receiving
 * handshake_failure prints {@code ...:sslv3 alert handshake failure:...:SSL alert number 40}.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class MutualAuthInteropTest {

    private static final String SUITE = "ECDHE-ECDSA-AES128-GCM-SHA256";

    @BeforeEach
    void needOpenSsl() {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
    }

    // ---------------------------------------------------------------- our client -> s_server

    @Test
    void ourClientPresentsRsaCertificateToOpenSslServer() throws Exception {
        TestPki.Material serverKey = TestPki.ecdsaP256();
        TestPki.Material clientKey = TestPki.rsa2048();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, serverKey, "-cipher", SUITE,
                "-Verify", "1", "-CAfile", clientKey.certPem().toString(), "-verify_return_error")) {
            DtlsConfig config = Interop.clientPinning(serverKey).cipherSuites(SUITE)
                    .certifiedKey(Interop.certifiedKey(clientKey)).build();
            try (DtlsClient client = DtlsClient.connect(Interop.loopback(port), config)) {
                assertEquals(clientKey.certificate(), client.session().localCertificates().get(0));
                server.awaitLine("verify return:1"::equals, WAIT);
                server.awaitLine("Client certificate"::equals, WAIT);
                server.awaitLine("subject=CN = dtlsip-test-rsa-2048"::equals, WAIT);
                server.awaitLine(("CIPHER is " + SUITE)::equals, WAIT);

                client.send(bytes("hello from dtlsip\n"));
                server.awaitLine("hello from dtlsip"::equals, WAIT);
                server.sendLine("hello from openssl");
                assertEquals("hello from openssl\n", text(client.receive(WAIT.toMillis())));
            }
            server.awaitLine("DONE"::equals, WAIT);
            assertEquals(0, server.awaitExit(WAIT), server.output());
        }
    }

    @Test
    void ourClientWithoutCertificateIsRefusedByOpenSslServerThatRequiresOne() throws Exception {
        TestPki.Material serverKey = TestPki.ecdsaP256();
        TestPki.Material clientKey = TestPki.rsa2048();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, serverKey, "-cipher", SUITE,
                "-Verify", "1", "-CAfile", clientKey.certPem().toString(), "-verify_return_error")) {
            DtlsConfig config = Interop.clientPinning(serverKey).cipherSuites(SUITE).build();
            DtlsException e = assertThrows(DtlsException.class,
                    () -> DtlsClient.connect(Interop.loopback(port), config).close());
            assertTrue(e.getMessage().contains("received fatal alert handshake_failure"), e.getMessage());
            assertEquals(AlertDescription.HANDSHAKE_FAILURE, e.alert());
            assertTrue(e.alertReceived(), "openssl sent the alert");
            server.awaitLine(Pattern.compile("peer did not return a certificate"), WAIT);
        }
    }

    // ---------------------------------------------------------------- s_client -> our server

    @Test
    void openSslClientCertificateReachesOurServerWithClientAuthNeed() throws Exception {
        TestPki.Material serverKey = TestPki.ecdsaP256();
        TestPki.Material clientKey = TestPki.ecdsaP384();
        RecordingHandler events = new RecordingHandler();
        DtlsConfig config = Interop.server(serverKey).cipherSuites(SUITE)
                .clientAuth(DtlsConfig.ClientAuth.NEED)
                .peerVerifier(PeerVerifier.pkix(List.of(clientKey.certificate())))
                .build();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(), config, events).start();
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", server.localAddress().getPort(), List.of(
                     "-cipher", SUITE, "-CAfile", serverKey.certPem().toString(), "-verify_return_error",
                     "-cert", clientKey.certPem().toString(), "-key", clientKey.keyPem().toString(),
                     "-nocommands"))) {
            DtlsServer.Association association = events.awaitHandshake(WAIT);
            assertEquals(List.of(clientKey.certificate()), association.session().peerCertificates());
            client.awaitLine(("New, TLSv1.2, Cipher is " + SUITE)::equals, WAIT);
            client.sendLine("hello from openssl");
            assertEquals("hello from openssl\n", text(events.awaitData(WAIT).bytes()));
            association.send(bytes("hello from dtlsip\n"));
            client.awaitLine("hello from dtlsip"::equals, WAIT);
            client.closeStdin();
            assertNull(events.awaitClosed(WAIT).failure());
            assertEquals(0, client.awaitExit(WAIT), client.output());
        }
    }

    @Test
    void openSslClientWithoutCertificateIsRefusedByOurNeedServer() throws Exception {
        TestPki.Material serverKey = TestPki.ecdsaP256();
        RecordingHandler events = new RecordingHandler();
        DtlsConfig config = Interop.server(serverKey).cipherSuites(SUITE)
                .clientAuth(DtlsConfig.ClientAuth.NEED)
                .peerVerifier(PeerVerifier.pkix(List.of(TestPki.ecdsaP384().certificate())))
                .build();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(), config, events).start();
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", server.localAddress().getPort(), List.of(
                     "-cipher", SUITE, "-CAfile", serverKey.certPem().toString(), "-verify_return_error",
                     "-nocommands"))) {
            client.awaitLine(Pattern.compile("sslv3 alert handshake failure.*SSL alert number 40"), WAIT);
            assertNotEquals(0, client.awaitExit(WAIT), client.output());
            RecordingHandler.Closed closed = events.awaitClosed(WAIT);
            assertNotNull(closed.failure(), "a failed handshake");
            assertEquals(AlertDescription.HANDSHAKE_FAILURE, closed.failure().alert());
            assertFalse(closed.failure().alertReceived(), "our server sent the alert");
            assertTrue(closed.failure().getMessage().contains("client sent no certificate"),
                    closed.failure().getMessage());
            assertNull(events.pollHandshake());
            assertEquals(1, server.handshakesFailed());
        }
    }

    @Test
    void openSslClientWithoutCertificateCompletesWithOurWantServer() throws Exception {
        TestPki.Material serverKey = TestPki.ecdsaP256();
        RecordingHandler events = new RecordingHandler();
        DtlsConfig config = Interop.server(serverKey).cipherSuites(SUITE)
                .clientAuth(DtlsConfig.ClientAuth.WANT)
                .peerVerifier(PeerVerifier.pkix(List.of(TestPki.ecdsaP384().certificate())))
                .build();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(), config, events).start();
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", server.localAddress().getPort(), List.of(
                     "-cipher", SUITE, "-CAfile", serverKey.certPem().toString(), "-verify_return_error",
                     "-nocommands"))) {
            DtlsServer.Association association = events.awaitHandshake(WAIT);
            assertTrue(association.session().peerCertificates().isEmpty(), "no client certificate");
            client.awaitLine(("New, TLSv1.2, Cipher is " + SUITE)::equals, WAIT);
            client.sendLine("hello anyway");
            assertEquals("hello anyway\n", text(events.awaitData(WAIT).bytes()));
            client.closeStdin();
            assertNull(events.awaitClosed(WAIT).failure());
            assertEquals(0, client.awaitExit(WAIT), client.output());
        }
    }
}

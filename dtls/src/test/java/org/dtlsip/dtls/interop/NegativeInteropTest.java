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
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failed handshakes against openssl: the right fatal alert goes out (and openssl names it),
 * the right exception comes back, and a server that failed one handshake keeps serving.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class NegativeInteropTest {

    private static final String SUITE = "ECDHE-ECDSA-AES128-GCM-SHA256";

    @BeforeEach
    void needOpenSsl() {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
    }

    @Test
    void ourClientRejectsServerWhoseFingerprintIsNotPinnedWithBadCertificate() throws Exception {
        TestPki.Material serverKey = TestPki.ecdsaP256();
        TestPki.Material otherKey = TestPki.ecdsaP384();
        DtlsConfig config = DtlsConfig.forClient()
                .peerVerifier(PeerVerifier.fingerprints(
                        List.of(Fingerprint.sha256(otherKey.certificate()))))
                .handshakeTimeoutMillis(Interop.HANDSHAKE_TIMEOUT_MILLIS)
                .build();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, serverKey, "-cipher", SUITE)) {
            DtlsException e = assertThrows(DtlsException.class,
                    () -> DtlsClient.connect(Interop.loopback(port), config).close());
            assertTrue(e.getMessage().contains("bad_certificate"), e.getMessage());
            assertEquals(AlertDescription.BAD_CERTIFICATE, e.alert());
            assertFalse(e.alertReceived(), "we sent the alert");
            server.awaitLine(Pattern.compile("alert bad certificate|SSL alert number 42"), WAIT);
        }
    }

    @Test
    void ourClientRejectsServerOutsideItsTrustAnchorsWithUnknownCa() throws Exception {
        TestPki.Material serverKey = TestPki.ecdsaP256();
        TestPki.Material otherKey = TestPki.ecdsaP384();
        DtlsConfig config = DtlsConfig.forClient()
                .peerVerifier(PeerVerifier.pkix(List.of(otherKey.certificate())))
                .handshakeTimeoutMillis(Interop.HANDSHAKE_TIMEOUT_MILLIS)
                .build();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, serverKey, "-cipher", SUITE)) {
            DtlsException e = assertThrows(DtlsException.class,
                    () -> DtlsClient.connect(Interop.loopback(port), config).close());
            assertTrue(e.getMessage().contains("unknown_ca"), e.getMessage());
            assertEquals(AlertDescription.UNKNOWN_CA, e.alert());
            assertFalse(e.alertReceived(), "we sent the alert");
            server.awaitLine(Pattern.compile("alert unknown ca|SSL alert number 48"), WAIT);
        }
    }

    /**
     * No suite in common: our server sends handshake_failure, counts the failure, and the same
     * server then completes a handshake with a client that offers its suite.
     */
    @Test
    void ourServerFailsHandshakeWithoutCommonSuiteAndKeepsServingOthers() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        String serverSuite = "ECDHE-ECDSA-AES256-GCM-SHA384";
        RecordingHandler events = new RecordingHandler();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(),
                Interop.server(key).cipherSuites(serverSuite).build(), events).start()) {
            int port = server.localAddress().getPort();

            try (OpenSslPeer wrong = OpenSslPeer.client("127.0.0.1", port,
                    List.of("-cipher", SUITE, "-nocommands"))) {
                wrong.awaitLine(Pattern.compile("alert handshake failure|SSL alert number 40"), WAIT);
                assertNotEquals(0, wrong.awaitExit(WAIT), wrong.output());
                RecordingHandler.Closed closed = events.awaitClosed(WAIT);
                assertNotNull(closed.failure(), "a failed handshake, not close_notify");
                assertEquals(AlertDescription.HANDSHAKE_FAILURE, closed.failure().alert());
                assertFalse(closed.failure().alertReceived(), "our server sent the alert");
                assertNull(events.pollHandshake(), "no handshake completed");
                assertEquals(1, server.handshakesFailed());
                assertEquals(0, server.handshakesCompleted());
            }

            try (OpenSslPeer right = OpenSslPeer.client("127.0.0.1", port, List.of(
                    "-cipher", serverSuite, "-CAfile", key.certPem().toString(),
                    "-verify_return_error", "-nocommands"))) {
                DtlsServer.Association association = events.awaitHandshake(WAIT);
                assertEquals(serverSuite, association.session().cipherSuite().opensslName);
                right.awaitLine(("New, TLSv1.2, Cipher is " + serverSuite)::equals, WAIT);
                right.sendLine("still serving?");
                assertEquals("still serving?\n", text(events.awaitData(WAIT).bytes()));
                association.send(bytes("yes\n"));
                right.awaitLine("yes"::equals, WAIT);
                right.closeStdin();
                assertNull(events.awaitClosed(WAIT).failure());
                assertEquals(0, right.awaitExit(WAIT), right.output());
            }
            assertEquals(1, server.handshakesCompleted());
            assertEquals(1, server.handshakesFailed());
            assertEquals(2, server.helloVerifyRequestsSent(), "one cookie exchange per client");
        }
    }

    @Test
    void ourClientOfferingOnlySuitesOpenSslDisablesGetsHandshakeFailureAlert() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        int port = OpenSslPeer.freeUdpPort();
        DtlsConfig config = Interop.clientPinning(key)
                .cipherSuites("ECDHE-ECDSA-CHACHA20-POLY1305").build();
        try (OpenSslPeer server = OpenSslPeer.server(port, key, "-cipher", SUITE)) {
            DtlsException e = assertThrows(DtlsException.class,
                    () -> DtlsClient.connect(Interop.loopback(port), config).close());
            assertTrue(e.getMessage().contains("received fatal alert handshake_failure"),
                    e.getMessage());
            assertEquals(AlertDescription.HANDSHAKE_FAILURE, e.alert());
            assertTrue(e.alertReceived(), "openssl sent the alert");
            server.awaitLine(Pattern.compile("no shared cipher"), WAIT);
        }
    }
}

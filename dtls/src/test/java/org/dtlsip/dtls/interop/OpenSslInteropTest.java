package org.dtlsip.dtls.interop;

import static org.dtlsip.dtls.interop.Interop.WAIT;
import static org.dtlsip.dtls.interop.Interop.bytes;
import static org.dtlsip.dtls.interop.Interop.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our engine against {@code openssl s_server} / {@code s_client -dtls1_2}: every suite both
 * ways, the HelloVerifyRequest cookie path both ways (openssl's with and without -listen), every ECDHE group, application data each
 * way and close_notify seen by both sides.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OpenSslInteropTest {

    /** Handshake type codes (RFC 6347 4.3.2), at offset 13 of a plaintext handshake record. */
    private static final int CLIENT_HELLO = 1;
    private static final int HELLO_VERIFY_REQUEST = 3;
    private static final int CONTENT_ALERT = 21;

    @BeforeEach
    void needOpenSsl() {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
    }

    // ---------------------------------------------------------------- our client -> s_server

    @ParameterizedTest(name = "{0}")
    @FieldSource("org.dtlsip.dtls.interop.Interop#SUITES")
    void ourClientNegotiatesSuiteWithOpenSslServer(String suiteName) throws Exception {
        ourClientTalksToOpenSslServer(suiteName, List.of(), NamedGroup.X25519);
    }

    /**
     * openssl 3.0's s_server answers the first ClientHello with a HelloVerifyRequest both
     * with {@code -listen} (stateless DTLSv1_listen before the SSL object exists) and without
     * it (SSL_OP_COOKIE_EXCHANGE inside the handshake); we must repeat the ClientHello with
     * the cookie either way.
     */
    @ParameterizedTest(name = "s_server {0}")
    @ValueSource(strings = {"-listen", "(default)"})
    void ourClientCompletesCookieExchangeWithOpenSslServer(String mode) throws Exception {
        String suiteName = "ECDHE-ECDSA-AES128-GCM-SHA256";
        TestPki.Material key = Interop.keyFor(CipherSuite.byName(suiteName));
        int port = OpenSslPeer.freeUdpPort();
        List<String> args = new ArrayList<>(List.of("-cipher", suiteName));
        if (mode.startsWith("-")) {
            args.add(mode);
        }
        try (OpenSslPeer server = OpenSslPeer.server(port, OpenSslPeer.serverArgs(key,
                     args.toArray(String[]::new)));
             UdpRelay relay = UdpRelay.start(Interop.loopback(port))) {
            try (DtlsClient client = DtlsClient.connect(relay.address(),
                    Interop.clientPinning(key).cipherSuites(suiteName).build())) {
                assertEquals(suiteName, client.session().cipherSuite().opensslName);
                server.awaitLine(("CIPHER is " + suiteName)::equals, WAIT);
                exchangeLines(client, server);
            }
            server.awaitLine("DONE"::equals, WAIT);
            assertEquals(0, server.awaitExit(WAIT), server.output());

            List<UdpRelay.Datagram> fromClient = relay.datagrams(UdpRelay.Direction.CLIENT_TO_SERVER);
            List<UdpRelay.Datagram> fromServer = relay.datagrams(UdpRelay.Direction.SERVER_TO_CLIENT);
            assertEquals(CLIENT_HELLO, handshakeType(fromClient.get(0)), "first datagram: ClientHello");
            assertEquals(HELLO_VERIFY_REQUEST, handshakeType(fromServer.get(0)),
                    "openssl answers with HelloVerifyRequest");
            assertEquals(CLIENT_HELLO, handshakeType(fromClient.get(1)),
                    "we repeat the ClientHello, now with the cookie");
            assertTrue(fromClient.get(1).size() > fromClient.get(0).size(),
                    "second ClientHello carries the cookie: " + relay.sizes(UdpRelay.Direction.CLIENT_TO_SERVER));
        }
    }

    /** openssl picks the group from its -groups list; we offer x25519, P-256 and P-384. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(NamedGroup.class)
    void ourClientAgreesOnGroupChosenByOpenSslServer(NamedGroup group) throws Exception {
        ourClientTalksToOpenSslServer("ECDHE-ECDSA-AES128-GCM-SHA256",
                List.of("-groups", group.shortName), group);
    }

    private void ourClientTalksToOpenSslServer(String suiteName, List<String> extra,
                                               NamedGroup expectedGroup) throws Exception {
        CipherSuite suite = CipherSuite.byName(suiteName);
        TestPki.Material key = Interop.keyFor(suite);
        int port = OpenSslPeer.freeUdpPort();
        List<String> args = new ArrayList<>(List.of("-cipher", suiteName));
        args.addAll(extra);
        try (OpenSslPeer server = OpenSslPeer.server(port, OpenSslPeer.serverArgs(key,
                args.toArray(String[]::new)))) {
            DtlsClient client = DtlsClient.connect(Interop.loopback(port),
                    Interop.clientPinning(key).cipherSuites(suiteName).build());
            try {
                assertEquals(suite, client.session().cipherSuite());
                assertEquals("DTLSv1.2", client.session().protocol());
                assertEquals(key.certificate(), client.session().peerCertificates().get(0));
                if (expectedGroup != null) {
                    assertEquals(expectedGroup, client.session().namedGroup());
                }
                server.awaitLine(("CIPHER is " + suiteName)::equals, WAIT);
                exchangeLines(client, server);
            } finally {
                client.close();
            }
            server.awaitLine("DONE"::equals, WAIT); // s_server read our close_notify
            server.awaitLine("shutting down SSL"::equals, WAIT);
            assertTrue(client.peerClosed(), "openssl answers our close_notify with its own");
            assertEquals(0, server.awaitExit(WAIT), server.output());
            assertEquals(0, client.engine().retransmissions(),
                    "no retransmissions expected on loopback");
        }
    }

    private static void exchangeLines(DtlsClient client, OpenSslPeer server) throws Exception {
        client.send(bytes("hello from dtlsip\n"));
        server.awaitLine("hello from dtlsip"::equals, WAIT);
        server.sendLine("hello from openssl");
        assertEquals("hello from openssl\n", text(client.receive(WAIT.toMillis())));
    }

    // ---------------------------------------------------------------- s_client -> our server

    @ParameterizedTest(name = "{0}")
    @FieldSource("org.dtlsip.dtls.interop.Interop#SUITES")
    void openSslClientNegotiatesSuiteWithOurServer(String suiteName) throws Exception {
        openSslClientTalksToOurServer(suiteName, List.of(), NamedGroup.X25519);
    }

    /** s_client offers exactly one group; our server must use it. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(NamedGroup.class)
    void openSslClientOfferingOnlyOneGroupGetsIt(NamedGroup group) throws Exception {
        openSslClientTalksToOurServer("ECDHE-RSA-AES128-GCM-SHA256",
                List.of("-groups", group.shortName), group);
    }

    private void openSslClientTalksToOurServer(String suiteName, List<String> extra,
                                               NamedGroup expectedGroup) throws Exception {
        CipherSuite suite = CipherSuite.byName(suiteName);
        TestPki.Material key = Interop.keyFor(suite);
        RecordingHandler events = new RecordingHandler();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(),
                     Interop.server(key).build(), events).start();
             UdpRelay relay = UdpRelay.start(server.localAddress())) {
            List<String> args = new ArrayList<>(List.of("-cipher", suiteName,
                    "-CAfile", key.certPem().toString(), "-verify_return_error", "-nocommands"));
            args.addAll(extra);
            try (OpenSslPeer client = OpenSslPeer.client("127.0.0.1", relay.port(), args)) {
                DtlsServer.Association association = events.awaitHandshake(WAIT);
                assertEquals(suite, association.session().cipherSuite());
                assertEquals("DTLSv1.2", association.session().protocol());
                if (expectedGroup != null) {
                    assertEquals(expectedGroup, association.session().namedGroup());
                }
                client.awaitLine(("New, TLSv1.2, Cipher is " + suiteName)::equals, WAIT);
                client.awaitLine("    Verify return code: 0 (ok)"::equals, WAIT);
                if (expectedGroup != null) {
                    String tempKey = "Server Temp Key: " + openSslTempKeyName(expectedGroup);
                    client.awaitLine(line -> line.startsWith(tempKey), WAIT);
                }
                assertEquals(1, server.helloVerifyRequestsSent(), "cookie exchange is on by default");

                client.sendLine("hello from openssl");
                RecordingHandler.Data data = events.awaitData(WAIT);
                assertEquals("hello from openssl\n", text(data.bytes()));
                assertEquals(association, data.association());
                association.send(bytes("hello from dtlsip\n"));
                client.awaitLine("hello from dtlsip"::equals, WAIT);

                int mark = relay.count();
                client.closeStdin(); // s_client: DONE, close_notify, exit
                RecordingHandler.Closed closed = events.awaitClosed(WAIT);
                assertNull(closed.failure(), () -> "close_notify, not a failure: " + closed.failure());
                assertEquals(0, client.awaitExit(WAIT), client.output());
                assertTrue(client.output().contains("DONE"), client.output());
                assertNotNull(relay.await(mark, UdpRelay.Direction.CLIENT_TO_SERVER,
                        d -> d.firstContentType() == CONTENT_ALERT, WAIT.toMillis()),
                        "s_client's close_notify");
                assertNotNull(relay.await(mark, UdpRelay.Direction.SERVER_TO_CLIENT,
                        d -> d.firstContentType() == CONTENT_ALERT, WAIT.toMillis()),
                        "our answering close_notify");
                assertEquals(1, server.handshakesCompleted());
                assertEquals(0, server.handshakesFailed());
            }
        }
    }

    /** How s_client names the group in "Server Temp Key: X25519, 253 bits" / "ECDH, prime256v1, 256 bits". */
    private static String openSslTempKeyName(NamedGroup group) {
        return switch (group) {
            case X25519 -> "X25519, ";
            case SECP256R1 -> "ECDH, prime256v1, ";
            case SECP384R1 -> "ECDH, secp384r1, ";
        };
    }

    private static int handshakeType(UdpRelay.Datagram d) {
        assertEquals(22, d.firstContentType(), "a handshake record");
        return d.payload()[13] & 0xff;
    }
}

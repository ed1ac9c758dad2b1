package org.dtlsip.dtls.interop;

import static org.dtlsip.dtls.interop.Interop.WAIT;
import static org.dtlsip.dtls.interop.Interop.bytes;
import static org.dtlsip.dtls.interop.Interop.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * PSK suites (RFC 4279, 5487, 5489, 7905) against {@code openssl s_server -nocert -psk} and
 * {@code s_client -psk -psk_identity}: the suite on both sides, the identity the server saw,
 * application data each way, and unknown_psk_identity for an identity our store lacks.
 *
 * <p>OpenSSL 3.0.19 facts: s_server with {@code -psk} but an identity other than its
 * {@code -psk_identity} (default {@code Client_identity}) only prints
 * {@code PSK warning: client identity not what we expected (got 'X' expected 'Y')} and goes on
 * with its one key. s_client prints {@code PSK identity: X} and {@code PSK identity hint: H}
 * ({@code None} without a hint) in its session summary. Receiving unknown_psk_identity it prints
 * {@code ...:dtls1_read_bytes:tlsv1 alert unknown psk identity:...:SSL alert number 115}.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PskInteropTest {

    static final List<String> PSK_SUITES = List.of(
            "PSK-AES128-GCM-SHA256",
            "PSK-AES256-GCM-SHA384",
            "ECDHE-PSK-CHACHA20-POLY1305");

    private static final String IDENTITY = "dtlsip-client";
    private static final String HINT = "dtlsip-hint";
    private static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff0123456789abcdef");
    private static final String KEY_HEX = HexFormat.of().formatHex(KEY);

    @BeforeEach
    void needOpenSsl() {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
    }

    /** Client config with {@link #KEY} under {@link #IDENTITY}, offering only {@code suite}. */
    static DtlsConfig.Builder pskClient(String suite) {
        return DtlsConfig.forClient()
                .psk(bytes(IDENTITY), KEY)
                .cipherSuites(suite)
                .handshakeTimeoutMillis(Interop.HANDSHAKE_TIMEOUT_MILLIS);
    }

    /** Server config that knows {@link #IDENTITY} only, with hint {@link #HINT}. */
    static DtlsConfig.Builder pskServer(String suite) {
        return DtlsConfig.forServer()
                .pskStore(id -> Arrays.equals(id, bytes(IDENTITY)) ? KEY.clone() : null)
                .pskIdentityHint(bytes(HINT))
                .cipherSuites(suite)
                .handshakeTimeoutMillis(Interop.HANDSHAKE_TIMEOUT_MILLIS);
    }

    /** s_server arguments for a PSK-only server expecting {@link #IDENTITY}. */
    static List<String> openSslPskServerArgs(String suite, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("-nocert", "-psk", KEY_HEX,
                "-psk_identity", IDENTITY, "-psk_hint", HINT, "-cipher", suite));
        args.addAll(List.of(extra));
        return args;
    }

    /** s_client arguments for {@code identity} with {@link #KEY}. */
    static List<String> openSslPskClientArgs(String suite, String identity, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("-psk", KEY_HEX, "-psk_identity", identity,
                "-cipher", suite, "-nocommands"));
        args.addAll(List.of(extra));
        return args;
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("PSK_SUITES")
    void ourClientNegotiatesPskSuiteWithOpenSslServer(String suiteName) throws Exception {
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, openSslPskServerArgs(suiteName))) {
            try (DtlsClient client = DtlsClient.connect(Interop.loopback(port), pskClient(suiteName).build())) {
                assertEquals(CipherSuite.byName(suiteName), client.session().cipherSuite());
                assertArrayEquals(bytes(IDENTITY), client.session().pskIdentity());
                assertTrue(client.session().peerCertificates().isEmpty(), "no certificates with PSK");
                server.awaitLine(("CIPHER is " + suiteName)::equals, WAIT);

                client.send(bytes("hello from dtlsip\n"));
                server.awaitLine("hello from dtlsip"::equals, WAIT);
                server.sendLine("hello from openssl");
                assertEquals("hello from openssl\n", text(client.receive(WAIT.toMillis())));
            }
            server.awaitLine("DONE"::equals, WAIT);
            assertEquals(0, server.awaitExit(WAIT), server.output());
            assertFalse(server.output().contains("PSK warning"),
                    "s_server got the identity it expected:\n" + server.output());
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("PSK_SUITES")
    void openSslClientNegotiatesPskSuiteWithOurServer(String suiteName) throws Exception {
        RecordingHandler events = new RecordingHandler();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(),
                pskServer(suiteName).build(), events).start();
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", server.localAddress().getPort(),
                     openSslPskClientArgs(suiteName, IDENTITY))) {
            DtlsServer.Association association = events.awaitHandshake(WAIT);
            assertEquals(CipherSuite.byName(suiteName), association.session().cipherSuite());
            assertArrayEquals(bytes(IDENTITY), association.session().pskIdentity());
            client.awaitLine(("New, TLSv1.2, Cipher is " + suiteName)::equals, WAIT);
            client.awaitLine(("    PSK identity: " + IDENTITY)::equals, WAIT);
            client.awaitLine(("    PSK identity hint: " + HINT)::equals, WAIT);

            client.sendLine("hello from openssl");
            assertEquals("hello from openssl\n", text(events.awaitData(WAIT).bytes()));
            association.send(bytes("hello from dtlsip\n"));
            client.awaitLine("hello from dtlsip"::equals, WAIT);

            client.closeStdin();
            assertNull(events.awaitClosed(WAIT).failure(), "close_notify, not a failure");
            assertEquals(0, client.awaitExit(WAIT), client.output());
        }
    }

    /**
     * An identity our store does not know: unknown_psk_identity (115, RFC 4279 2) goes to
     * s_client, and the same server then serves a client with the right identity.
     */
    @Test
    void ourServerRejectsUnknownPskIdentityAndKeepsServing() throws Exception {
        String suite = "PSK-AES128-GCM-SHA256";
        RecordingHandler events = new RecordingHandler();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(),
                pskServer(suite).build(), events).start()) {
            int port = server.localAddress().getPort();
            try (OpenSslPeer stranger = OpenSslPeer.client("127.0.0.1", port,
                    openSslPskClientArgs(suite, "mallory"))) {
                stranger.awaitLine(Pattern.compile("tlsv1 alert unknown psk identity.*SSL alert number 115"), WAIT);
                assertNotEquals(0, stranger.awaitExit(WAIT), stranger.output());
                RecordingHandler.Closed closed = events.awaitClosed(WAIT);
                assertNotNull(closed.failure(), "a failed handshake");
                assertEquals(AlertDescription.UNKNOWN_PSK_IDENTITY, closed.failure().alert());
                assertFalse(closed.failure().alertReceived(), "our server sent the alert");
                assertNull(events.pollHandshake());
                assertEquals(1, server.handshakesFailed());
            }
            try (OpenSslPeer friend = OpenSslPeer.client("127.0.0.1", port,
                    openSslPskClientArgs(suite, IDENTITY))) {
                DtlsServer.Association association = events.awaitHandshake(WAIT);
                assertArrayEquals(bytes(IDENTITY), association.session().pskIdentity());
                friend.awaitLine(("New, TLSv1.2, Cipher is " + suite)::equals, WAIT);
                friend.sendLine("still serving?");
                assertEquals("still serving?\n", text(events.awaitData(WAIT).bytes()));
                friend.closeStdin();
                assertNull(events.awaitClosed(WAIT).failure());
                assertEquals(0, friend.awaitExit(WAIT), friend.output());
            }
            assertEquals(1, server.handshakesCompleted());
            assertEquals(1, server.handshakesFailed());
        }
    }
}

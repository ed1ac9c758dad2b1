package org.dtlsip.dtls.interop;

import static org.dtlsip.dtls.interop.Interop.WAIT;
import static org.dtlsip.dtls.interop.Interop.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.ResumableSession;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session resumption against OpenSSL, both ways, by session cache (RFC 5246 7.3) and by
 * ticket (RFC 5077): the second connection is abbreviated, which the wire shows as a server
 * flight without a Certificate message.
 */
class ResumptionInteropTest {
    private static final int CERTIFICATE = 11;
    private static final int SERVER_HELLO = 2;

    @BeforeAll
    static void needOpenSsl() {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
    }

    private static boolean serverSentCertificate(UdpRelay relay, int mark) {
        return relay.datagramsSince(mark, UdpRelay.Direction.SERVER_TO_CLIENT).stream()
                .flatMap(d -> d.handshakeFragments().stream()).anyMatch(f -> f.messageType() == CERTIFICATE);
    }

    private static boolean serverSentHello(UdpRelay relay, int mark) {
        return relay.datagramsSince(mark, UdpRelay.Direction.SERVER_TO_CLIENT).stream()
                .flatMap(d -> d.handshakeFragments().stream()).anyMatch(f -> f.messageType() == SERVER_HELLO);
    }

    @ParameterizedTest(name = "by {0}")
    @ValueSource(strings = {"ticket", "cache"})
    void ourClientResumesWithOpenSslServer(String mode) throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        List<String> args = new ArrayList<>(OpenSslPeer.serverArgs(key, "-naccept", "2"));
        if (mode.equals("cache")) {
            args.add("-no_ticket");
        }
        DtlsConfig.Builder client = Interop.clientPinning(key).requestSessionTickets(mode.equals("ticket"));
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, args);
             UdpRelay relay = UdpRelay.start(Interop.loopback(port))) {
            ResumableSession saved;
            try (DtlsClient first = DtlsClient.connect(relay.address(), client.build())) {
                assertFalse(first.session().resumed());
                saved = first.session().resumable();
                assertNotNull(saved, "OpenSSL offered a session ID or ticket");
                assertEquals(mode.equals("ticket"), saved.ticket().length > 0, "ticket only when tickets are on");
            }
            server.awaitLine("DONE"::equals, WAIT);
            assertTrue(serverSentCertificate(relay, 0), "the first handshake is full");

            int mark = relay.count();
            try (DtlsClient second = DtlsClient.connect(relay.address(), client.resumeSession(saved).build())) {
                assertTrue(second.session().resumed(), "abbreviated handshake");
                second.send(bytes("resumed\n"));
                server.awaitLine("resumed"::equals, WAIT);
            }
            assertTrue(serverSentHello(relay, mark));
            assertFalse(serverSentCertificate(relay, mark), "no Certificate message on the wire");
            server.awaitLine("Reused session-id"::equals, WAIT);
        }
    }

    @ParameterizedTest(name = "by {0}")
    @ValueSource(strings = {"ticket", "cache"})
    void openSslClientResumesWithOurServer(String mode) throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        DtlsConfig.Builder config = Interop.server(key);
        if (mode.equals("ticket")) {
            config.sessionCache(null); // only a ticket can resume
        } else {
            config.sessionTickets(false);
        }
        Path sessionFile = Files.createTempFile("dtlsip-openssl-session", ".pem");
        RecordingHandler events = new RecordingHandler();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(), config.build(), events).start();
             UdpRelay relay = UdpRelay.start(Interop.loopback(server.localAddress().getPort()))) {
            List<String> common = new ArrayList<>(List.of("-CAfile", key.certPem().toString(), "-nocommands"));
            if (mode.equals("cache")) {
                common.add("-no_ticket");
            }
            List<String> firstArgs = new ArrayList<>(common);
            firstArgs.addAll(List.of("-sess_out", sessionFile.toString()));
            try (OpenSslPeer first = OpenSslPeer.client("127.0.0.1", relay.port(), firstArgs)) {
                first.awaitLine(l -> l.startsWith("New, TLSv1.2, Cipher is"), WAIT);
                assertFalse(events.awaitHandshake(WAIT).session().resumed());
                first.closeStdin();
                assertEquals(0, first.awaitExit(WAIT), first.output());
            }
            assertTrue(Files.size(sessionFile) > 0, "s_client saved the session");
            assertTrue(serverSentCertificate(relay, 0));

            int mark = relay.count();
            List<String> secondArgs = new ArrayList<>(common);
            secondArgs.addAll(List.of("-sess_in", sessionFile.toString()));
            try (OpenSslPeer second = OpenSslPeer.client("127.0.0.1", relay.port(), secondArgs)) {
                second.awaitLine(l -> l.startsWith("Reused, TLSv1.2, Cipher is"), WAIT);
                DtlsServer.Association resumed = events.awaitHandshake(WAIT);
                assertTrue(resumed.session().resumed());
                resumed.send(bytes("welcome back\n"));
                second.awaitLine("welcome back"::equals, WAIT);
                second.closeStdin();
                assertEquals(0, second.awaitExit(WAIT), second.output());
            }
            assertTrue(serverSentHello(relay, mark));
            assertFalse(serverSentCertificate(relay, mark), "no Certificate message on the wire");
        } finally {
            Files.deleteIfExists(sessionFile);
        }
    }
}

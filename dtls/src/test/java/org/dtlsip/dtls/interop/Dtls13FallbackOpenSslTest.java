package org.dtlsip.dtls.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenSSL 3.0 speaks no DTLS 1.3: a configuration offering DTLS 1.3 and 1.2 falls back to 1.2
 * with it, both ways (RFC 8446 4.2.1, RFC 9147 5.3); a 1.3-only configuration gets nowhere
 * either way.
 */
class Dtls13FallbackOpenSslTest {
    private static final long WAIT_MILLIS = Interop.WAIT.toMillis();

    @BeforeAll
    static void opensslInstalled() {
        assumeTrue(OpenSslPeer.available(), "openssl not installed at " + OpenSslPeer.OPENSSL);
    }

    @Test
    void ourDtls13ClientFallsBackToDtls12WithOpenSslServer() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, key);
             EngineOverUdp ours = EngineOverUdp.client(Interop.clientPinning(key)
                     .protocols(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2).build(), Interop.loopback(port))) {
            assertTrue(ours.runUntil(ours::handshakeDone, WAIT_MILLIS), "no handshake within " + WAIT_MILLIS + " ms");
            DtlsEngine engine = ours.engine();
            assertEquals(DtlsEngine.Status.ESTABLISHED, engine.status(), () -> engine.failure() + "\n" + server.output());
            assertEquals("DTLSv1.2", engine.session().protocol());
            byte[] line = Interop.bytes("over DTLS 1.2\n");
            ours.send(line);
            server.awaitLine("over DTLS 1.2"::equals, Interop.WAIT);
            server.sendLine("back");
            assertTrue(ours.runUntil(() -> !ours.received().isEmpty(), WAIT_MILLIS), server::output);
            assertArrayEquals(Interop.bytes("back\n"), ours.received().get(0));
            engine.close();
            ours.runUntil(() -> false, 100);
        }
    }

    @Test
    void dtls13OnlyClientFailsAgainstOpenSslServer() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, key);
             EngineOverUdp ours = EngineOverUdp.client(Interop.clientPinning(key).protocols(ProtocolVersion.DTLS_1_3).build(),
                     Interop.loopback(port))) {
            assertTrue(ours.runUntil(ours::handshakeDone, WAIT_MILLIS), "no outcome within " + WAIT_MILLIS + " ms");
            assertEquals(DtlsEngine.Status.FAILED, ours.engine().status());
            // OpenSSL 3.0 finds no DTLS 1.2 suite in a DTLS 1.3-only hello and says handshake_failure.
            assertTrue(ours.engine().failure().alertReceived(), ours.engine().failure().getMessage());
        }
    }

    @Test
    void openSslDtls12ClientIsServedDtls12ByOurDtls13Server() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        try (EngineOverUdp ours = EngineOverUdp.server(Interop.server(key)
                     .protocols(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2).build());
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", ours.localAddress().getPort(), List.of())) {
            assertTrue(ours.runUntil(ours::handshakeDone, WAIT_MILLIS), client::output);
            assertEquals(DtlsEngine.Status.ESTABLISHED, ours.engine().status(), () -> ours.engine().failure() + "\n" + client.output());
            assertEquals("DTLSv1.2", ours.engine().session().protocol());
            client.awaitLine(l -> l.contains("Cipher is"), Interop.WAIT);
            client.sendLine("hello over 1.2");
            assertTrue(ours.runUntil(() -> !ours.received().isEmpty(), WAIT_MILLIS), client::output);
            assertArrayEquals(Interop.bytes("hello over 1.2\n"), ours.received().get(0));
        }
    }

    /** RFC 8446 4.2.1: our DTLS 1.3-only engine answers OpenSSL's 1.2 hello with protocol_version. */
    @Test
    void openSslDtls12ClientIsRefusedWithProtocolVersionByOurDtls13OnlyServer() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        try (EngineOverUdp ours = EngineOverUdp.server(Interop.server(key).protocols(ProtocolVersion.DTLS_1_3).build());
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", ours.localAddress().getPort(), List.of())) {
            assertTrue(ours.runUntil(ours::handshakeDone, WAIT_MILLIS), client::output);
            assertEquals(DtlsEngine.Status.FAILED, ours.engine().status());
            DtlsException failure = ours.engine().failure();
            assertEquals(AlertDescription.PROTOCOL_VERSION, failure.alert(), failure::getMessage);
            // OpenSSL names the alert it received: "tlsv1 alert protocol version".
            client.awaitLine(l -> l.contains("alert protocol version"), Interop.WAIT);
        }
    }
}

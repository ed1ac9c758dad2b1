package org.dtlsip.dtls.interop;

import static org.dtlsip.dtls.interop.Interop.WAIT;
import static org.dtlsip.dtls.interop.Interop.bytes;
import static org.dtlsip.dtls.interop.Interop.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JDK's DTLS ({@code SSLContext "DTLS"}) speaks DTLS 1.2 only: a configuration of ours
 * offering DTLS 1.3 and 1.2 settles on 1.2 with it, both ways, through our real entry points
 * ({@link DtlsClient}, {@link DtlsServer}) (RFC 8446 4.2.1, RFC 9147 5.3); our 1.3-capable
 * server's downgrade sentinel (RFC 8446 4.1.3) does not trouble a 1.2 client. A 1.3-only
 * configuration gets no association with it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Dtls13FallbackJdkTest {

    @Test
    void ourDtls13ClientFallsBackToDtls12WithJdkServer() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        try (JdkDtlsPeer server = JdkDtlsPeer.server(key, JdkDtlsPeer.Options.defaults())) {
            CompletableFuture<String> serverSuite = server.handshakeAsync(WAIT);
            DtlsClient client = DtlsClient.connect(server.address(),
                    Interop.clientPinning(key).protocols(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2).build());
            try {
                assertEquals("DTLSv1.2", client.session().protocol());
                assertEquals(client.session().ianaCipherSuiteName(), serverSuite.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                assertEquals("DTLSv1.2", server.negotiatedProtocol());
                client.send(bytes("1.3 offered, 1.2 spoken"));
                assertEquals("1.3 offered, 1.2 spoken", text(server.receive(WAIT)));
                server.send(bytes("from the jdk"));
                assertEquals("from the jdk", text(client.receive(WAIT.toMillis())));
            } finally {
                CompletableFuture<byte[]> serverSeesClose = CompletableFuture.supplyAsync(() -> {
                    try {
                        return server.receive(WAIT);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
                client.close();
                assertNull(serverSeesClose.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), "close_notify, no more data");
            }
            assertTrue(server.closeNotifyReceived());
        }
    }

    @Test
    void jdkClientIsServedDtls12ByOurDtls13Server() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        RecordingHandler events = new RecordingHandler();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(),
                     Interop.server(key).protocols(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2).build(), events)
                .start();
             JdkDtlsPeer client = JdkDtlsPeer.client(server.localAddress(),
                     JdkDtlsPeer.Options.defaults().trust(key.certificate()))) {
            client.handshake(WAIT);
            assertEquals("DTLSv1.2", client.negotiatedProtocol());
            DtlsServer.Association association = events.awaitHandshake(WAIT);
            assertEquals("DTLSv1.2", association.session().protocol());
            assertEquals(client.negotiatedCipherSuite(), association.session().ianaCipherSuiteName());
            assertEquals(1, server.helloVerifyRequestsSent(), "a 1.2 hello gets the HelloVerifyRequest (RFC 6347 4.2.1)");

            client.send(bytes("from the jdk"));
            assertEquals("from the jdk", text(events.awaitData(WAIT).bytes()));
            association.send(bytes("from dtlsip"));
            assertEquals("from dtlsip", text(client.receive(WAIT)));
            client.closeOutbound();
            assertNull(events.awaitClosed(WAIT).failure());
            assertNull(client.receive(WAIT), "our server answers close_notify");
        }
    }

    /**
     * RFC 8446 4.2.1: nothing in common. The JDK's DTLS server (Java 17) neither answers a
     * DTLS 1.3-only ClientHello (no 1.2 suite in it) nor alerts: it waits on, and our client
     * ends at its handshake timeout, saying that the peer never answered.
     */
    @Test
    void dtls13OnlyClientGetsNoAssociationWithJdkServer() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        try (JdkDtlsPeer server = JdkDtlsPeer.server(key, JdkDtlsPeer.Options.defaults());
             EngineOverUdp ours = EngineOverUdp.client(Interop.clientPinning(key).protocols(ProtocolVersion.DTLS_1_3).build(),
                     Interop.loopback(server.port()))) {
            CompletableFuture<String> serverSide = server.handshakeAsync(WAIT);
            java.util.concurrent.ExecutionException jdk = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> serverSide.get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS));
            assertTrue(String.valueOf(jdk.getCause()).contains("no handshake within"), () -> "JDK: " + jdk.getCause());
            assertTrue(ours.runUntil(ours::handshakeDone, WAIT.toMillis()), "our handshake timeout ends it");
            assertEquals(DtlsEngine.Status.FAILED, ours.engine().status());
            assertTrue(ours.engine().failure().getMessage().contains("no answer from the peer"),
                    ours.engine().failure().getMessage());
        }
    }

    /** RFC 8446 4.2.1: our DTLS 1.3-only server answers the JDK's 1.2 hello with protocol_version. */
    @Test
    void jdkClientIsRefusedWithProtocolVersionByOurDtls13OnlyServer() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        RecordingHandler events = new RecordingHandler();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(),
                     Interop.server(key).protocols(ProtocolVersion.DTLS_1_3).build(), events).start();
             JdkDtlsPeer client = JdkDtlsPeer.client(server.localAddress(),
                     JdkDtlsPeer.Options.defaults().trust(key.certificate()))) {
            IOException e = assertThrows(IOException.class, () -> client.handshake(WAIT));
            assertTrue(String.valueOf(e.getCause()).contains("protocol_version"), () -> "JDK saw: " + e);
            assertEquals(0, server.handshakesCompleted());
            RecordingHandler.Closed closed = events.awaitClosed(WAIT);
            assertEquals(AlertDescription.PROTOCOL_VERSION, closed.failure().alert());
        }
    }
}

package org.dtlsip.dtls.interop;

import static org.dtlsip.dtls.interop.Interop.WAIT;
import static org.dtlsip.dtls.interop.Interop.bytes;
import static org.dtlsip.dtls.interop.Interop.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Our engine against the JDK's DTLS 1.2 {@code SSLEngine} ({@link JdkDtlsPeer}), every suite
 * both ways: the JDK server does the HelloVerifyRequest exchange and sends a NewSessionTicket,
 * ours does the cookie exchange; data each way; close_notify seen by both sides.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class JdkInteropTest {

    @ParameterizedTest(name = "{0}")
    @FieldSource("org.dtlsip.dtls.interop.Interop#SUITES")
    void ourClientNegotiatesSuiteWithJdkServer(String suiteName) throws Exception {
        CipherSuite suite = CipherSuite.byName(suiteName);
        TestPki.Material key = Interop.keyFor(suite);
        try (JdkDtlsPeer server = JdkDtlsPeer.server(key,
                JdkDtlsPeer.Options.defaults().cipherSuites(suite.ianaName()))) {
            CompletableFuture<String> serverSuite = server.handshakeAsync(WAIT);
            DtlsClient client = DtlsClient.connect(server.address(),
                    Interop.clientPinning(key).cipherSuites(suite.opensslName).build());
            try {
                assertEquals(suite, client.session().cipherSuite());
                assertEquals("DTLSv1.2", client.session().protocol());
                assertEquals(key.certificate(), client.session().peerCertificates().get(0));
                assertEquals(suite.ianaName(), serverSuite.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                assertEquals("DTLSv1.2", server.negotiatedProtocol());

                client.send(bytes("hello from dtlsip"));
                assertEquals("hello from dtlsip", text(server.receive(WAIT)));
                server.send(bytes("hello from the jdk"));
                assertEquals("hello from the jdk", text(client.receive(WAIT.toMillis())));
            } finally {
                // The JDK peer only reads when asked: let it wait for our close_notify (it
                // answers with its own) while close() waits for that answer.
                CompletableFuture<byte[]> serverSeesClose = CompletableFuture.supplyAsync(() -> {
                    try {
                        return server.receive(WAIT);
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
                client.close();
                assertNull(serverSeesClose.get(WAIT.toMillis(), TimeUnit.MILLISECONDS),
                        "the JDK reads close_notify, no more data");
            }
            assertTrue(server.closeNotifyReceived(), "JDK server saw our close_notify");
            assertTrue(client.peerClosed(), "we saw the JDK's answering close_notify");
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("org.dtlsip.dtls.interop.Interop#SUITES")
    void jdkClientNegotiatesSuiteWithOurServer(String suiteName) throws Exception {
        CipherSuite suite = CipherSuite.byName(suiteName);
        TestPki.Material key = Interop.keyFor(suite);
        RecordingHandler events = new RecordingHandler();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(),
                     Interop.server(key).build(), events).start();
             JdkDtlsPeer client = JdkDtlsPeer.client(server.localAddress(),
                     JdkDtlsPeer.Options.defaults().cipherSuites(suite.ianaName())
                             .trust(key.certificate()))) {
            client.handshake(WAIT);
            assertEquals(suite.ianaName(), client.negotiatedCipherSuite());
            assertEquals("DTLSv1.2", client.negotiatedProtocol());
            DtlsServer.Association association = events.awaitHandshake(WAIT);
            assertEquals(suite, association.session().cipherSuite());
            assertEquals(1, server.helloVerifyRequestsSent(), "cookie exchange is on by default");

            client.send(bytes("hello from the jdk"));
            RecordingHandler.Data data = events.awaitData(WAIT);
            assertEquals("hello from the jdk", text(data.bytes()));
            association.send(bytes("hello from dtlsip"));
            assertEquals("hello from dtlsip", text(client.receive(WAIT)));

            client.closeOutbound();
            RecordingHandler.Closed closed = events.awaitClosed(WAIT);
            assertNull(closed.failure(), () -> "close_notify, not a failure: " + closed.failure());
            assertNull(client.receive(WAIT), "our server answers close_notify with its own");
            assertTrue(client.closeNotifyReceived());
            assertEquals(1, server.handshakesCompleted());
            assertEquals(0, server.handshakesFailed());
        }
    }
}

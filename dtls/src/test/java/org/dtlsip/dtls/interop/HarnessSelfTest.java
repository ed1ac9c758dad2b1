package org.dtlsip.dtls.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves the interop harness against real peers (openssl and the JDK's DTLS), independent of
 * our own engine.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HarnessSelfTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String OPENSSL_SUITE = "ECDHE-ECDSA-AES128-GCM-SHA256";
    private static final String IANA_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";

    @Test
    void jdkClientTalksToOpenSslServer() throws Exception {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
        TestPki.Material key = TestPki.ecdsaP256();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, key, "-cipher", OPENSSL_SUITE);
             JdkDtlsPeer client = JdkDtlsPeer.client(new InetSocketAddress("127.0.0.1", port),
                     JdkDtlsPeer.Options.defaults().cipherSuites(IANA_SUITE)
                             .trust(key.certificate()))) {
            client.handshake(WAIT);
            assertEquals(IANA_SUITE, client.negotiatedCipherSuite());
            assertEquals("DTLSv1.2", client.negotiatedProtocol());
            server.awaitLine(("CIPHER is " + OPENSSL_SUITE)::equals, WAIT);

            client.send(bytes("hello from jdk\n"));
            server.awaitLine("hello from jdk"::equals, WAIT);
            server.sendLine("hello from openssl");
            assertArrayEquals(bytes("hello from openssl\n"), client.receive(WAIT));

            client.closeOutbound();
            server.awaitLine("DONE"::equals, WAIT);
            server.awaitLine("shutting down SSL"::equals, WAIT);
            assertNull(client.receive(WAIT), "openssl answers close_notify with close_notify");
            assertTrue(client.closeNotifyReceived());
            assertEquals(0, server.awaitExit(WAIT), server.output());
        }
    }

    @Test
    void openSslClientTalksToJdkServer() throws Exception {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
        TestPki.Material key = TestPki.ecdsaP256();
        try (JdkDtlsPeer server = JdkDtlsPeer.server(key,
                     JdkDtlsPeer.Options.defaults().cipherSuites(IANA_SUITE));
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", server.port(), List.of(
                     "-cipher", OPENSSL_SUITE, "-CAfile", key.certPem().toString(),
                     "-verify_return_error"))) {
            server.handshake(WAIT);
            assertEquals(IANA_SUITE, server.negotiatedCipherSuite());
            client.awaitLine(("New, TLSv1.2, Cipher is " + OPENSSL_SUITE)::equals, WAIT);
            client.awaitLine("    Protocol  : DTLSv1.2"::equals, WAIT);
            client.awaitLine("    Verify return code: 0 (ok)"::equals, WAIT);

            client.sendLine("hello from openssl");
            assertArrayEquals(bytes("hello from openssl\n"), server.receive(WAIT));
            server.send(bytes("hello from jdk\n"));
            client.awaitLine("hello from jdk"::equals, WAIT);

            client.closeStdin(); // s_client sends close_notify on stdin EOF
            assertNull(server.receive(WAIT));
            assertTrue(server.closeNotifyReceived());
            assertEquals(0, client.awaitExit(WAIT), client.output());
            assertTrue(client.output().contains("DONE"), client.output());
        }
    }

    @Test
    void openSslClientSeesJdkServerCloseNotify() throws Exception {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
        TestPki.Material key = TestPki.ecdsaP256();
        try (JdkDtlsPeer server = JdkDtlsPeer.server(key, JdkDtlsPeer.Options.defaults());
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", server.port(), List.of())) {
            server.handshake(WAIT);
            client.awaitLine(line -> line.startsWith("New, TLSv1.2, Cipher is "), WAIT);
            int mark = client.lineCount();
            server.closeOutbound();
            client.awaitLine(mark, "closed"::equals, WAIT);
            assertEquals(0, client.awaitExit(WAIT), client.output());
            assertNull(server.receive(WAIT), "s_client answers close_notify with close_notify");
            assertTrue(server.closeNotifyReceived());
        }
    }

    /**
     * Documents an openssl 3.0 quirk: EOF on s_server's stdin ends the DTLS connection and the
     * process, but no close_notify reaches the client.
     */
    @Test
    void openSslServerStdinEofSendsNoCloseNotify() throws Exception {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
        TestPki.Material key = TestPki.ecdsaP384();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, key, "-listen");
             JdkDtlsPeer client = JdkDtlsPeer.client(new InetSocketAddress("127.0.0.1", port),
                     JdkDtlsPeer.Options.defaults().trust(key.certificate()))) {
            client.handshake(WAIT);
            server.awaitLine(line -> line.startsWith("CIPHER is ECDHE-ECDSA-"), WAIT);
            server.closeStdin();
            server.awaitLine("shutdown accept socket"::equals, WAIT);
            server.awaitLine("CONNECTION CLOSED"::equals, WAIT);
            assertEquals(0, server.awaitExit(WAIT), server.output());
            assertThrows(SocketTimeoutException.class,
                    () -> client.receive(Duration.ofMillis(1500)));
            assertFalse(client.closeNotifyReceived());
        }
    }

    @Test
    void jdkClientTalksToJdkServerWithRsa() throws Exception {
        TestPki.Material key = TestPki.rsa2048();
        // The JDK applies the maximum packet size to inbound records too: set it on both sides.
        try (JdkDtlsPeer server = JdkDtlsPeer.server(key,
                     JdkDtlsPeer.Options.defaults().maximumPacketSize(512));
             JdkDtlsPeer client = JdkDtlsPeer.client(server.address(),
                     JdkDtlsPeer.Options.defaults().trust(key.certificate())
                             .maximumPacketSize(512))) {
            var serverDone = server.handshakeAsync(WAIT);
            client.handshake(WAIT);
            String serverSuite = serverDone.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(client.negotiatedCipherSuite(), serverSuite);
            assertTrue(serverSuite.contains("_RSA_"), serverSuite);

            client.send(bytes("ping"));
            assertArrayEquals(bytes("ping"), server.receive(WAIT));
            server.send(bytes("pong"));
            assertArrayEquals(bytes("pong"), client.receive(WAIT));

            client.closeOutbound();
            assertNull(server.receive(WAIT));
            assertNull(client.receive(WAIT), "the JDK answers close_notify with close_notify");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

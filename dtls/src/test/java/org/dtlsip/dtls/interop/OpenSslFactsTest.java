package org.dtlsip.dtls.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Pins down further openssl behaviours the harness documents (small MTU with a large
 * certificate chain, client authentication in both directions), using the JDK as the peer.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OpenSslFactsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @BeforeEach
    void needOpenSsl() {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
    }

    /** -mtu 512 with an RSA-4096 certificate: openssl fragments, the JDK reassembles. */
    @Test
    void smallMtuFragmentsHandshake() throws Exception {
        TestPki.Material key = TestPki.rsa4096();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, key, "-mtu", "512", "-no_ticket");
             JdkDtlsPeer client = JdkDtlsPeer.client(new InetSocketAddress("127.0.0.1", port),
                     JdkDtlsPeer.Options.defaults().maximumPacketSize(512)
                             .trust(key.certificate()))) {
            client.handshake(WAIT);
            server.awaitLine(line -> line.startsWith("CIPHER is ECDHE-RSA-"), WAIT);
            client.send("over a small mtu\n".getBytes(StandardCharsets.UTF_8));
            server.awaitLine("over a small mtu"::equals, WAIT);
        }
    }

    /** s_server -Verify 1 requires a client certificate; the JDK client presents one. */
    @Test
    void openSslServerRequiresJdkClientCertificate() throws Exception {
        TestPki.Material serverKey = TestPki.ecdsaP256();
        TestPki.Material clientKey = TestPki.ecdsaP384();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, serverKey, "-Verify", "1",
                     "-CAfile", clientKey.certPem().toString(), "-verify_return_error");
             JdkDtlsPeer client = JdkDtlsPeer.client(new InetSocketAddress("127.0.0.1", port),
                     JdkDtlsPeer.Options.defaults().keyMaterial(clientKey)
                             .trust(serverKey.certificate()))) {
            client.handshake(WAIT);
            server.awaitLine("Client certificate"::equals, WAIT);
            server.awaitLine("subject=CN = dtlsip-test-ec-p384"::equals, WAIT);
            server.awaitLine(line -> line.startsWith("CIPHER is "), WAIT);
        }
    }

    /** The JDK server needs client auth; s_client presents -cert/-key. */
    @Test
    void jdkServerRequiresOpenSslClientCertificate() throws Exception {
        TestPki.Material serverKey = TestPki.rsa2048();
        TestPki.Material clientKey = TestPki.ecdsaP256();
        try (JdkDtlsPeer server = JdkDtlsPeer.server(serverKey, JdkDtlsPeer.Options.defaults()
                     .needClientAuth(true).trust(clientKey.certificate()));
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", server.port(), List.of(
                     "-cert", clientKey.certPem().toString(),
                     "-key", clientKey.keyPem().toString(), "-nocommands"))) {
            server.handshake(WAIT);
            assertNotNull(server.engine().getSession().getPeerCertificates());
            assertEquals(clientKey.certificate(),
                    server.engine().getSession().getPeerCertificates()[0]);
            client.awaitLine(line -> line.startsWith("New, TLSv1.2, Cipher is "), WAIT);
            client.sendLine("Quit is data with -nocommands");
            assertArrayEquals("Quit is data with -nocommands\n".getBytes(StandardCharsets.UTF_8),
                    server.receive(WAIT));
        }
    }
}

package org.dtlsip.dtls.interop;

import static org.dtlsip.dtls.interop.Interop.WAIT;
import static org.dtlsip.dtls.interop.Interop.bytes;
import static org.dtlsip.dtls.interop.Interop.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsException;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 576-byte PMTU with RSA-4096 certificates, so that Certificate messages (about 1.3 kB) must
 * be fragmented across datagrams, against openssl with {@code -mtu 576}. A {@link UdpRelay}
 * between the peers records every datagram: none of ours may exceed 576 bytes, and the
 * Certificate messages must really have travelled in fragments.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FragmentationInteropTest {

    private static final int PMTU = 576;
    private static final int CERTIFICATE = 11;
    private static final String RSA_SUITE = "ECDHE-RSA-AES128-GCM-SHA256";

    @BeforeAll
    static void generateKeyOnce() {
        TestPki.rsa4096(); // seconds of key generation, outside the per-test timeout
    }

    @BeforeEach
    void needOpenSsl() {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
    }

    @Test
    void ourServerFragmentsRsa4096CertificateForOpenSslClientAtMtu576() throws Exception {
        TestPki.Material key = TestPki.rsa4096();
        RecordingHandler events = new RecordingHandler();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(),
                     Interop.server(key).pmtu(PMTU).build(), events).start();
             UdpRelay relay = UdpRelay.start(server.localAddress());
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", relay.port(), List.of(
                     "-mtu", String.valueOf(PMTU), "-cipher", RSA_SUITE,
                     "-CAfile", key.certPem().toString(), "-verify_return_error", "-nocommands"))) {
            DtlsServer.Association association = events.awaitHandshake(WAIT);
            client.awaitLine(("New, TLSv1.2, Cipher is " + RSA_SUITE)::equals, WAIT);
            client.awaitLine("    Verify return code: 0 (ok)"::equals, WAIT);

            client.sendLine("hello over a small mtu");
            assertEquals("hello over a small mtu\n", text(events.awaitData(WAIT).bytes()));
            association.send(bytes("hello back\n"));
            client.awaitLine("hello back"::equals, WAIT);
            client.closeStdin();
            assertNull(events.awaitClosed(WAIT).failure());
            assertEquals(0, client.awaitExit(WAIT), client.output());

            assertAllAtMost(relay, UdpRelay.Direction.SERVER_TO_CLIENT, "our server");
            assertFragmented(relay, UdpRelay.Direction.SERVER_TO_CLIENT, key);
        }
    }

    @Test
    void ourClientReassemblesOpenSslServersFragmentedCertificateAtMtu576() throws Exception {
        TestPki.Material key = TestPki.rsa4096();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, key, "-mtu", String.valueOf(PMTU),
                     "-cipher", RSA_SUITE, "-no_ticket");
             UdpRelay relay = UdpRelay.start(Interop.loopback(port))) {
            talkAndClose(relay, server, Interop.clientPinning(key).pmtu(PMTU).build());

            assertAllAtMost(relay, UdpRelay.Direction.CLIENT_TO_SERVER, "our client");
            assertFragmented(relay, UdpRelay.Direction.SERVER_TO_CLIENT, key);
        }
    }

    /** With a required RSA-4096 client certificate our client has to fragment its own Certificate. */
    @Test
    void ourClientFragmentsItsRsa4096ClientCertificateAtMtu576() throws Exception {
        TestPki.Material serverKey = TestPki.ecdsaP256();
        TestPki.Material clientKey = TestPki.rsa4096();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, serverKey, "-mtu", String.valueOf(PMTU),
                     "-Verify", "1", "-CAfile", clientKey.certPem().toString(),
                     "-verify_return_error", "-no_ticket");
             UdpRelay relay = UdpRelay.start(Interop.loopback(port))) {
            talkAndClose(relay, server, Interop.clientPinning(serverKey).pmtu(PMTU)
                    .certifiedKey(Interop.certifiedKey(clientKey)).build());
            server.awaitLine("subject=CN = dtlsip-test-rsa-4096"::equals, WAIT);

            assertAllAtMost(relay, UdpRelay.Direction.CLIENT_TO_SERVER, "our client");
            assertFragmented(relay, UdpRelay.Direction.CLIENT_TO_SERVER, clientKey);
        }
    }

    private static void talkAndClose(UdpRelay relay, OpenSslPeer server, DtlsConfig config)
            throws Exception {
        DtlsClient client = DtlsClient.connect(relay.address(), config);
        try {
            server.awaitLine(line -> line.startsWith("CIPHER is "), WAIT);
            client.send(bytes("hello over a small mtu\n"));
            server.awaitLine("hello over a small mtu"::equals, WAIT);
            server.sendLine("hello back");
            assertEquals("hello back\n", text(client.receive(WAIT.toMillis())));

            // The largest record we allow fills the PMTU exactly and openssl accepts it;
            // one byte more is refused (DTLS does not fragment application data).
            int max = client.engine().maxApplicationDataLength();
            assertTrue(max > PMTU - 64 && max < PMTU, "max application data " + max);
            String fullLine = "x".repeat(max - 1);
            client.send(bytes(fullLine + "\n"));
            server.awaitLine(fullLine::equals, WAIT);
            assertThrows(DtlsException.class, () -> client.send(new byte[max + 1]));
            assertEquals(PMTU, relay.maxSize(UdpRelay.Direction.CLIENT_TO_SERVER));
        } finally {
            client.close();
        }
        server.awaitLine("DONE"::equals, WAIT);
        assertTrue(client.peerClosed(), "openssl answered our close_notify");
        assertEquals(0, server.awaitExit(WAIT), server.output());
    }

    private static void assertAllAtMost(UdpRelay relay, UdpRelay.Direction direction, String who) {
        List<Integer> sizes = relay.sizes(direction);
        assertTrue(sizes.size() >= 2, who + " sent datagrams: " + sizes);
        assertTrue(sizes.stream().allMatch(size -> size <= PMTU),
                who + " exceeded the PMTU of " + PMTU + ": " + sizes);
    }

    /** The Certificate message went in more than one fragment that together cover it. */
    private static void assertFragmented(UdpRelay relay, UdpRelay.Direction direction,
                                         TestPki.Material key) throws Exception {
        List<UdpRelay.Fragment> fragments = relay.datagrams(direction).stream()
                .flatMap(d -> d.handshakeFragments().stream())
                .filter(f -> f.messageType() == CERTIFICATE)
                .distinct()
                .sorted(Comparator.comparingInt(UdpRelay.Fragment::fragmentOffset))
                .toList();
        assertTrue(fragments.size() >= 2, "Certificate in fragments: " + fragments);
        int length = fragments.get(0).length();
        assertTrue(length > key.certificate().getEncoded().length,
                "Certificate message holds the certificate: " + fragments);
        int covered = 0;
        for (UdpRelay.Fragment f : fragments) {
            assertTrue(f.partial(), "a fragment, not the whole message: " + f);
            assertEquals(length, f.length(), "same message: " + fragments);
            assertTrue(f.fragmentOffset() <= covered, "no gap before " + f + " in " + fragments);
            covered = Math.max(covered, f.fragmentOffset() + f.fragmentLength());
        }
        assertEquals(length, covered, "fragments cover the message: " + fragments);
    }
}

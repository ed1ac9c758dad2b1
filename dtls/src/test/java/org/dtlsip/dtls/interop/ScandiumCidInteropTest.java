package org.dtlsip.dtls.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;
import org.dtlsip.dtls.io.ServerStats;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.RawData;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Connection ID (RFC 9146) against Eclipse Californium Scandium 3.13 both ways, through a
 * loopback "NAT" ({@link RebindingRelay}) whose outside port changes mid-session: data must
 * keep flowing both ways, and our server must keep one association and count one rebinding.
 *
 * <p>Scandium facts relied on: {@code DTLS_CONNECTION_ID_LENGTH} turns CIDs on; without
 * {@code DTLS_USE_DEPRECATED_CID} it uses the RFC 9146 code point 54 and the RFC 9146 MAC/AAD;
 * it sends no encrypt_then_mac, so the CBC case exercises MAC-then-encrypt with a CID.
 */
@Timeout(60)
class ScandiumCidInteropTest {
    private static final String IDENTITY = "dtlsip-cid";
    private static final byte[] KEY = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final long WAIT_MS = 10_000;

    static {
        org.eclipse.californium.scandium.config.DtlsConfig.register();
    }

    /** The suites exercised: an AEAD one and a CBC one (both PSK, so no certificates are needed). */
    enum Suite {
        AES_128_GCM(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256,
                org.eclipse.californium.scandium.dtls.cipher.CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256),
        ECDHE_PSK_AES_128_CBC(CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256,
                org.eclipse.californium.scandium.dtls.cipher.CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256);

        final CipherSuite ours;
        final org.eclipse.californium.scandium.dtls.cipher.CipherSuite theirs;

        Suite(CipherSuite ours, org.eclipse.californium.scandium.dtls.cipher.CipherSuite theirs) {
            this.ours = ours;
            this.theirs = theirs;
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Configuration scandium(DtlsRole role, Suite suite, int cidLength) {
        Configuration c = Configuration.createStandardWithoutFile();
        c.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_ROLE, role);
        c.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_CIPHER_SUITES, List.of(suite.theirs));
        c.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_CONNECTION_ID_LENGTH, cidLength);
        // Scandium refuses CBC suites unless told that non-recommended suites are fine.
        c.set(org.eclipse.californium.scandium.config.DtlsConfig.DTLS_RECOMMENDED_CIPHER_SUITES_ONLY, false);
        return c;
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void CID_OurClient_ScandiumServer_ClientPortChanges(Suite suite) throws Exception {
        AdvancedMultiPskStore psks = new AdvancedMultiPskStore();
        psks.setKey(IDENTITY, KEY);
        DTLSConnector server = new DTLSConnector(DtlsConnectorConfig.builder(scandium(DtlsRole.SERVER_ONLY, suite, 6))
                .setAddress(new InetSocketAddress("127.0.0.1", 0))
                .setAdvancedPskStore(psks)
                .build());
        DTLSConnector[] self = {server};
        // Echo to wherever the record came from: Scandium's endpoint context follows the CID's latest address.
        server.setRawDataReceiver(data -> self[0].send(RawData.outbound(data.getBytes(), data.getEndpointContext(), null, false)));
        server.start();
        try (RebindingRelay nat = RebindingRelay.start(server.getAddress())) {
            DtlsConfig config = DtlsConfig.forClient().cipherSuites(List.of(suite.ours))
                    .psk(bytes(IDENTITY), KEY).connectionIdLength(4).build();
            try (DtlsClient client = DtlsClient.connect(nat.address(), config)) {
                assertEquals(4, client.session().connectionId().length);
                assertEquals(6, client.session().peerConnectionId().length, "Scandium's DTLS_CONNECTION_ID_LENGTH");
                assertFalse(client.session().encryptThenMac(), "Scandium answers no encrypt_then_mac: CBC is MAC-then-encrypt");
                client.send(bytes("before"));
                assertArrayEquals(bytes("before"), client.receive(WAIT_MS));

                int before = nat.outsidePort();
                assertNotEquals(before, nat.rebind());
                client.send(bytes("after"));
                assertArrayEquals(bytes("after"), client.receive(WAIT_MS),
                        "Scandium moved our address on the CID record and echoed to the new port");
                client.send(bytes("again"));
                assertArrayEquals(bytes("again"), client.receive(WAIT_MS));
            }
        } finally {
            server.destroy();
        }
    }

    @ParameterizedTest
    @EnumSource(Suite.class)
    void CID_ScandiumClient_OurServer_ClientPortChanges(Suite suite) throws Exception {
        DtlsConfig config = DtlsConfig.forServer().cipherSuites(List.of(suite.ours))
                .pskStore(id -> Arrays.equals(id, bytes(IDENTITY)) ? KEY.clone() : null)
                .connectionIdLength(6).build();
        DtlsServer.Handler echo = (association, data) -> {
            try {
                association.send(data);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        try (DtlsServer server = DtlsServer.bind(new InetSocketAddress("127.0.0.1", 0), config, echo).start();
                RebindingRelay nat = RebindingRelay.start(server.localAddress())) {
            DTLSConnector client = new DTLSConnector(DtlsConnectorConfig.builder(scandium(DtlsRole.CLIENT_ONLY, suite, 4))
                    .setAddress(new InetSocketAddress("127.0.0.1", 0))
                    .setAdvancedPskStore(new AdvancedSinglePskStore(IDENTITY, KEY))
                    .build());
            BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
            client.setRawDataReceiver(data -> received.add(data.getBytes()));
            client.start();
            try {
                AddressEndpointContext to = new AddressEndpointContext(nat.address());
                client.send(RawData.outbound(bytes("before"), to, null, false));
                assertArrayEquals(bytes("before"), received.poll(WAIT_MS, TimeUnit.MILLISECONDS));
                DtlsServer.Association a = server.associations().get(0);
                assertEquals(nat.outsidePort(), a.peer().getPort());
                assertEquals(6, a.session().connectionId().length);
                assertEquals(4, a.session().peerConnectionId().length, "Scandium's DTLS_CONNECTION_ID_LENGTH");

                int moved = nat.rebind();
                client.send(RawData.outbound(bytes("after"), to, null, false));
                assertArrayEquals(bytes("after"), received.poll(WAIT_MS, TimeUnit.MILLISECONDS),
                        "our server moved the association on the CID record and echoed to the new port");
                assertEquals(moved, a.peer().getPort());
                a.send(bytes("pushed"));
                assertArrayEquals(bytes("pushed"), received.poll(WAIT_MS, TimeUnit.MILLISECONDS));

                ServerStats stats = server.stats();
                assertEquals(1, stats.associations());
                assertEquals(1, stats.peerAddressChanges());
                assertEquals(1, stats.handshakesCompleted());
                assertNotNull(server.association(new InetSocketAddress("127.0.0.1", moved)));
            } finally {
                client.destroy();
            }
        }
    }
}

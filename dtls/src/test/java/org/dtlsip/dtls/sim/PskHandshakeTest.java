package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.util.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PSK and ECDHE_PSK handshakes (RFC 4279, 5489) between our own client and server. */
class PskHandshakeTest {
    static final byte[] IDENTITY = "client1".getBytes(StandardCharsets.US_ASCII);
    static final byte[] KEY = Hex.decode("1a2b3c4d5e6f7081");

    static DtlsConfig server(CipherSuite suite, byte[] hint) {
        return DtlsConfig.forServer().cipherSuites(List.of(suite)).pskIdentityHint(hint)
                .pskStore(id -> Arrays.equals(id, IDENTITY) ? KEY : null).build();
    }

    @ParameterizedTest
    @EnumSource(value = CipherSuite.class, names = {"TLS_PSK_WITH_AES_128_GCM_SHA256", "TLS_PSK_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", "TLS_PSK_WITH_AES_128_CCM", "TLS_PSK_WITH_AES_128_CCM_8",
            "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256"})
    void pskSuitesCompleteWithAndWithoutHint(CipherSuite suite) throws Exception {
        for (byte[] hint : List.of(new byte[0], "hint".getBytes(StandardCharsets.US_ASCII))) {
            DtlsConfig client = DtlsConfig.forClient().cipherSuites(List.of(suite)).psk(IDENTITY, KEY).build();
            SimulatedNetwork net = new SimulatedNetwork(client, server(suite, hint), SimulatedNetwork.Conditions.perfect(), 1);
            assertTrue(net.runHandshake(10_000), () -> String.valueOf(net.client().failure()));
            assertEquals(suite, net.server().session().cipherSuite());
            assertArrayEquals(IDENTITY, net.server().session().pskIdentity());
            assertTrue(net.client().session().peerCertificates().isEmpty());
            net.clientSend(new byte[] {1, 2, 3});
            net.runUntil(net.now() + 10);
            assertArrayEquals(new byte[] {1, 2, 3}, net.serverReceived().get(0));
        }
    }

    @ParameterizedTest
    @EnumSource(value = CipherSuite.class, names = {"TLS_PSK_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256"})
    void unknownIdentityFailsWithUnknownPskIdentity(CipherSuite suite) {
        DtlsConfig client = DtlsConfig.forClient().cipherSuites(List.of(suite))
                .psk("stranger".getBytes(StandardCharsets.US_ASCII), KEY).build();
        SimulatedNetwork net = new SimulatedNetwork(client, server(suite, new byte[0]), SimulatedNetwork.Conditions.perfect(), 1);
        net.runHandshake(10_000);
        net.runUntil(net.now() + 100);
        assertEquals(AlertDescription.UNKNOWN_PSK_IDENTITY, net.server().failure().alert());
        assertTrue(net.server().failure().getMessage().contains("unknown PSK identity 'stranger'"));
        assertEquals("handshake failed: received fatal alert unknown_psk_identity", net.client().failure().getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = CipherSuite.class, names = {"TLS_PSK_WITH_AES_128_GCM_SHA256"})
    void wrongKeyFailsAtFinished(CipherSuite suite) {
        DtlsConfig client = DtlsConfig.forClient().cipherSuites(List.of(suite)).psk(IDENTITY, Hex.decode("00112233")).build();
        SimulatedNetwork net = new SimulatedNetwork(client, server(suite, new byte[0]), SimulatedNetwork.Conditions.perfect(), 1);
        net.runHandshake(10_000);
        // The server cannot decrypt the client's Finished: it is dropped as a bad record MAC
        // (RFC 6347 4.1.2.7), and the handshake times out rather than confirming a guess.
        assertNull(net.server().session());
        assertNull(net.client().session());
    }
}

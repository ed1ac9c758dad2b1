package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.EngineEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Full handshakes between our own client and server over a perfect simulated network. */
class EngineHandshakeTest {

    static List<CipherSuite> certificateSuites() {
        return java.util.Arrays.stream(CipherSuite.values()).filter(s -> s.keyExchange.usesCertificate()).toList();
    }

    @ParameterizedTest
    @MethodSource("certificateSuites")
    void handshakeDataAndCloseForEverySuite(CipherSuite suite) throws Exception {
        CertifiedKey key = TestKeys.forSuite(suite);
        DtlsConfig client = TestKeys.clientPinning(key).cipherSuites(List.of(suite)).build();
        DtlsConfig server = TestKeys.server(key).cipherSuites(List.of(suite)).build();
        SimulatedNetwork net = new SimulatedNetwork(client, server, SimulatedNetwork.Conditions.perfect(), 1);

        assertTrue(net.runHandshake(10_000), () -> "handshake did not complete: " + net.client().failure() + " / " + (net.server() == null ? "no server" : net.server().failure()));
        assertEquals(suite, net.client().session().cipherSuite());
        assertEquals(suite, net.server().session().cipherSuite());
        assertTrue(net.client().session().extendedMasterSecret());
        assertEquals(suite.bulkCipher.type == CipherSuite.CipherType.CBC, net.client().session().encryptThenMac());
        assertEquals(suite.bulkCipher.type == CipherSuite.CipherType.CBC, net.server().session().encryptThenMac());
        assertEquals(EngineEvent.Kind.HANDSHAKE_COMPLETE, net.clientEvents().get(0).kind());

        net.clientSend("hello server".getBytes(StandardCharsets.UTF_8));
        net.runUntil(net.now() + 100);
        net.serverSend("hello client".getBytes(StandardCharsets.UTF_8));
        net.runUntil(net.now() + 100);
        assertArrayEquals("hello server".getBytes(StandardCharsets.UTF_8), net.serverReceived().get(0));
        assertArrayEquals("hello client".getBytes(StandardCharsets.UTF_8), net.clientReceived().get(0));

        net.clientClose();
        net.runUntil(net.now() + 100);
        assertTrue(net.server().closeNotifyReceived());
        assertTrue(net.client().closeNotifyReceived(), "server answered close_notify");
        assertEquals(DtlsEngine.Status.CLOSED, net.server().status());
    }

    @ParameterizedTest
    @EnumSource(NamedGroup.class)
    void everyGroupAgrees(NamedGroup group) {
        DtlsConfig client = TestKeys.clientPinning(TestKeys.ec()).namedGroups(List.of(group)).build();
        DtlsConfig server = TestKeys.server(TestKeys.ec()).build();
        SimulatedNetwork net = new SimulatedNetwork(client, server, SimulatedNetwork.Conditions.perfect(), 2);
        assertTrue(net.runHandshake(10_000));
        assertEquals(group, net.server().session().namedGroup());
        assertNotNull(net.client().session().peerCertificates().get(0));
    }
}

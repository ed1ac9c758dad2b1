package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.EngineEvent;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Full DTLS 1.3 handshakes (RFC 9147) between our own client and server on the simulated network. */
class Dtls13HandshakeTest {
    private static final byte[] PING = "ping".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PONG = "pong".getBytes(StandardCharsets.UTF_8);

    static DtlsConfig.Builder client13(CertifiedKey key) {
        return TestKeys.clientPinning(key).protocols(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2);
    }

    static DtlsConfig.Builder server13(CertifiedKey key) {
        return TestKeys.server(key).protocols(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2);
    }

    static SimulatedNetwork established(DtlsConfig client, DtlsConfig server) {
        SimulatedNetwork net = new SimulatedNetwork(client, server, SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(net.runHandshake(10_000), () -> "handshake did not complete: " + net.client().failure() + " / "
                + (net.server() == null ? "no server" : net.server().failure()));
        return net;
    }

    static void exchangeAndClose(SimulatedNetwork net) throws Exception {
        net.clientSend(PING);
        net.runUntil(net.now() + 100);
        net.serverSend(PONG);
        net.runUntil(net.now() + 100);
        assertArrayEquals(PING, net.serverReceived().get(0));
        assertArrayEquals(PONG, net.clientReceived().get(0));
        net.clientClose();
        net.runUntil(net.now() + 100);
        assertTrue(net.server().closeNotifyReceived());
        assertTrue(net.client().closeNotifyReceived(), "server answered close_notify");
        assertEquals(DtlsEngine.Status.CLOSED, net.server().status());
    }

    @ParameterizedTest
    @EnumSource(Tls13CipherSuite.class)
    void handshakeDataAndCloseForEverySuite(Tls13CipherSuite suite) throws Exception {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = established(client13(key).tls13CipherSuites(List.of(suite)).build(),
                server13(key).tls13CipherSuites(List.of(suite)).build());
        assertEquals("DTLSv1.3", net.client().session().protocol());
        assertEquals(suite, net.client().session().tls13CipherSuite());
        assertEquals(suite, net.server().session().tls13CipherSuite());
        assertEquals(EngineEvent.Kind.HANDSHAKE_COMPLETE, net.clientEvents().get(0).kind());
        assertArrayEquals(net.client().session().exportKeyingMaterial("EXPERIMENTAL test", new byte[0], 32),
                net.server().session().exportKeyingMaterial("EXPERIMENTAL test", new byte[0], 32));
        exchangeAndClose(net);
    }

    @ParameterizedTest
    @EnumSource(NamedGroup.class)
    void everyGroupAgrees(NamedGroup group) throws Exception {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = established(client13(key).namedGroups(List.of(group)).build(), server13(key).build());
        assertEquals(group, net.client().session().namedGroup());
        assertEquals(group, net.server().session().namedGroup());
        exchangeAndClose(net);
    }

    /**
     * RFC 8446 4.1.4 with the cookie exchange off: the client's share is of a group the server
     * does not take, so the association itself asks for another (and keeps state).
     */
    @org.junit.jupiter.api.Test
    void statefulHelloRetryRequestForAGroup() throws Exception {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = established(client13(key).namedGroups(List.of(NamedGroup.X25519, NamedGroup.SECP384R1)).build(),
                server13(key).cookieExchange(false).namedGroups(List.of(NamedGroup.SECP384R1)).build());
        assertEquals(NamedGroup.SECP384R1, net.client().session().namedGroup());
        long toServer = net.sent().stream().filter(SimulatedNetwork.Datagram::toServer).count();
        assertEquals(3, toServer, "ClientHello twice and the client's last flight");
        exchangeAndClose(net);
    }

    /**
     * RFC 9147 5.1: by default the front door answers the first ClientHello with a stateless
     * HelloRetryRequest cookie, never larger than the hello; the group request rides along when
     * the client's share does not fit (RFC 8446 4.1.4).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void statelessCookieRetryWithAndWithoutAGroupRequest(boolean groupMismatch) throws Exception {
        CertifiedKey key = TestKeys.ec();
        DtlsConfig.Builder server = server13(key);
        if (groupMismatch) {
            server.namedGroups(List.of(NamedGroup.SECP256R1));
        }
        SimulatedNetwork net = established(client13(key).namedGroups(List.of(NamedGroup.X25519, NamedGroup.SECP256R1)).build(),
                server.build());
        assertEquals(groupMismatch ? NamedGroup.SECP256R1 : NamedGroup.X25519, net.client().session().namedGroup());
        List<SimulatedNetwork.Datagram> sent = net.sent();
        assertTrue(sent.get(0).toServer() && !sent.get(1).toServer() && sent.get(2).toServer());
        assertTrue(sent.get(1).bytes().length <= sent.get(0).bytes().length, "no amplification by the HelloRetryRequest");
        assertEquals(3, sent.stream().filter(SimulatedNetwork.Datagram::toServer).count(),
                "two round trips: ClientHello twice and the client's last flight");
        exchangeAndClose(net);
    }

    /** RFC 8446 4.2.1: a server without DTLS 1.3 ignores supported_versions; the client continues in 1.2. */
    @org.junit.jupiter.api.Test
    void dtls13ClientFallsBackToADtls12OnlyServer() throws Exception {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = new SimulatedNetwork(client13(key).build(), TestKeys.server(key).build(),
                SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(net.runHandshake(10_000), () -> "handshake did not complete: " + net.client().failure());
        assertEquals("DTLSv1.2", net.client().session().protocol());
        assertEquals("DTLSv1.2", net.server().session().protocol());
        exchangeAndClose(net);
    }

    /** RFC 8446 4.2.1: a DTLS 1.2 client meets a server with both versions, which speaks 1.2 (and marks its random). */
    @org.junit.jupiter.api.Test
    void dtls12ClientIsServedDtls12ByADtls13Server() throws Exception {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = new SimulatedNetwork(TestKeys.clientPinning(key).build(),
                TestKeys.server(key).protocols(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2).build(),
                SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(net.runHandshake(10_000), () -> "handshake did not complete: " + net.server().failure());
        assertEquals("DTLSv1.2", net.client().session().protocol());
        exchangeAndClose(net);
    }

    /** RFC 8446 4.2.1: a server with DTLS 1.3 only refuses a DTLS 1.2 client with protocol_version. */
    @org.junit.jupiter.api.Test
    void dtls13OnlyServerRefusesADtls12Client() {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = new SimulatedNetwork(TestKeys.clientPinning(key).build(),
                TestKeys.server(key).protocols(ProtocolVersion.DTLS_1_3).build(), SimulatedNetwork.Conditions.perfect(), 1);
        net.runHandshake(10_000);
        net.runUntil(net.now() + 100);
        assertEquals(DtlsEngine.Status.FAILED, net.server().status());
        assertEquals(org.dtlsip.dtls.engine.AlertDescription.PROTOCOL_VERSION, net.server().failure().alert());
        assertEquals(DtlsEngine.Status.FAILED, net.client().status());
        assertEquals(org.dtlsip.dtls.engine.AlertDescription.PROTOCOL_VERSION, net.client().failure().alert());
    }

    /** RFC 8446 4.2.1: a client with DTLS 1.3 only meets a DTLS 1.2-only server: no version in common. */
    @org.junit.jupiter.api.Test
    void dtls13OnlyClientRefusesADtls12Server() {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = new SimulatedNetwork(TestKeys.clientPinning(key).protocols(ProtocolVersion.DTLS_1_3).build(),
                TestKeys.server(key).build(), SimulatedNetwork.Conditions.perfect(), 1);
        net.runHandshake(10_000);
        net.runUntil(net.now() + 100);
        assertEquals(DtlsEngine.Status.FAILED, net.server().status());
        assertEquals(org.dtlsip.dtls.engine.AlertDescription.PROTOCOL_VERSION, net.server().failure().alert());
        assertEquals(DtlsEngine.Status.FAILED, net.client().status());
        assertEquals(org.dtlsip.dtls.engine.AlertDescription.PROTOCOL_VERSION, net.client().failure().alert());
    }

    /**
     * RFC 9147 9: the server takes up the client's connection_id in its ServerHello; from
     * epoch 2 on every record carries the receiver's ID (the C bit of the unified header,
     * RFC 9147 4), and both sessions report the IDs.
     */
    @ParameterizedTest(name = "client ID {0} bytes")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 4})
    void connectionIdsAreAgreedAndCarriedInEveryProtectedRecord(int clientIdLength) throws Exception {
        CertifiedKey key = TestKeys.ec();
        DtlsConfig.Builder client = client13(key);
        client = clientIdLength == 0 ? client.emptyConnectionId() : client.connectionIdLength(clientIdLength);
        SimulatedNetwork net = established(client.build(), server13(key).connectionIdLength(3).build());
        assertEquals("DTLSv1.3", net.client().session().protocol());
        assertTrue(net.client().session().connectionIdNegotiated());
        assertTrue(net.server().session().connectionIdNegotiated());
        byte[] serverCid = net.server().session().connectionId();
        byte[] clientCid = net.client().session().connectionId();
        assertEquals(3, serverCid.length);
        assertEquals(clientIdLength, clientCid.length);
        assertArrayEquals(serverCid, net.client().session().peerConnectionId());
        assertArrayEquals(clientCid, net.server().session().peerConnectionId());
        exchangeAndClose(net);
        int protectedToServer = 0;
        for (SimulatedNetwork.Datagram d : net.sent()) {
            int first = d.bytes()[0] & 0xff;
            if ((first & 0xe0) != 0x20) {
                continue; // DTLSPlaintext (epoch 0)
            }
            byte[] expected = d.toServer() ? serverCid : clientCid;
            assertEquals(expected.length > 0, (first & 0x10) != 0, "C bit as agreed, " + (d.toServer() ? "to server" : "to client"));
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(d.bytes(), 1, 1 + expected.length));
            protectedToServer += d.toServer() ? 1 : 0;
        }
        assertTrue(protectedToServer >= 3, "Finished, data and close_notify went under the server's ID");
    }

    /** A server not configured for connection IDs ignores the offer (RFC 9146 3), as in DTLS 1.2. */
    @org.junit.jupiter.api.Test
    void connectionIdOfferToAServerWithoutThemIsNotTakenUp() throws Exception {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = established(client13(key).connectionIdLength(4).build(), server13(key).build());
        assertEquals("DTLSv1.3", net.client().session().protocol());
        assertTrue(!net.client().session().connectionIdNegotiated());
        assertTrue(!net.server().session().connectionIdNegotiated());
        exchangeAndClose(net);
    }

    /** RFC 7301 in DTLS 1.3: the server's choice travels in EncryptedExtensions. */
    @org.junit.jupiter.api.Test
    void alpnIsAgreedInEncryptedExtensions() throws Exception {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = established(client13(key).applicationProtocols(List.of("sip", "h2")).build(),
                server13(key).applicationProtocols(List.of("h2", "sip")).build());
        assertEquals("h2", net.client().session().applicationProtocol());
        assertEquals("h2", net.server().session().applicationProtocol());
    }

    /** RFC 6066 3 in DTLS 1.3: the server presents the certificate configured for the name the client asked for. */
    @org.junit.jupiter.api.Test
    void serverNameSelectsTheCertificate() throws Exception {
        CertifiedKey named = TestKeys.rsa();
        SimulatedNetwork net = established(client13(named).serverName("b.example").build(),
                server13(TestKeys.ec()).sniCertificate("b.example", named).build());
        assertEquals(named.leaf(), net.client().session().peerCertificates().get(0));
        assertEquals("b.example", net.server().session().serverName());
        exchangeAndClose(net);
    }
}

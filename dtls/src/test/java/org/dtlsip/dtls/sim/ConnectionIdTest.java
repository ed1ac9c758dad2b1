package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.record.RecordCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Connection IDs (RFC 9146) between our own client and server engines on a simulated network. */
class ConnectionIdTest {
    private static final byte[] PING = "ping".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PONG = "pong".getBytes(StandardCharsets.UTF_8);

    static List<CipherSuite> certificateSuites() {
        return Arrays.stream(CipherSuite.values()).filter(s -> s.keyExchange.usesCertificate()).toList();
    }

    private static SimulatedNetwork network(DtlsConfig.Builder client, DtlsConfig.Builder server,
            SimulatedNetwork.Conditions conditions, long seed) {
        SimulatedNetwork net = new SimulatedNetwork(client.build(), server.build(), conditions, seed);
        assertTrue(net.runHandshake(120_000), () -> "handshake: " + net.client().failure() + " / "
                + (net.server() == null ? "no server" : net.server().failure()));
        return net;
    }

    private static void exchange(SimulatedNetwork net) throws Exception {
        net.clientSend(PING);
        net.runUntil(net.now() + 1_000);
        net.serverSend(PONG);
        net.runUntil(net.now() + 1_000);
        assertArrayEquals(PING, net.serverReceived().get(net.serverReceived().size() - 1));
        assertArrayEquals(PONG, net.clientReceived().get(net.clientReceived().size() - 1));
    }

    /** The protected records one side sent, parsed with the receiver's ID length. */
    private static List<Record> protectedRecords(SimulatedNetwork net, boolean toServer, int cidLength) {
        return net.sent().stream().filter(d -> d.toServer() == toServer)
                .flatMap(d -> RecordCodec.parse(d.bytes(), 0, d.bytes().length, cidLength).records().stream())
                .filter(r -> r.epoch() > 0).toList();
    }

    @ParameterizedTest
    @MethodSource("certificateSuites")
    void CID_BothWays_EverySuite(CipherSuite suite) throws Exception {
        CertifiedKey key = TestKeys.forSuite(suite);
        SimulatedNetwork net = network(
                TestKeys.clientPinning(key).cipherSuites(List.of(suite)).connectionIdLength(4),
                TestKeys.server(key).cipherSuites(List.of(suite)).connectionIdLength(6),
                SimulatedNetwork.Conditions.perfect(), 1);
        byte[] clientCid = net.client().session().connectionId();
        byte[] serverCid = net.server().session().connectionId();
        assertEquals(4, clientCid.length);
        assertEquals(6, serverCid.length);
        assertArrayEquals(serverCid, net.client().session().peerConnectionId());
        assertArrayEquals(clientCid, net.server().session().peerConnectionId());
        exchange(net);

        // Every protected record, Finished included, is a tls12_cid record with the receiver's ID.
        List<Record> toServer = protectedRecords(net, true, 6);
        List<Record> toClient = protectedRecords(net, false, 4);
        assertFalse(toServer.isEmpty());
        assertFalse(toClient.isEmpty());
        for (Record r : toServer) {
            assertEquals(ContentType.TLS12_CID.code, r.contentType());
            assertArrayEquals(serverCid, r.connectionId());
        }
        for (Record r : toClient) {
            assertEquals(ContentType.TLS12_CID.code, r.contentType());
            assertArrayEquals(clientCid, r.connectionId());
        }

        net.clientClose();
        net.runUntil(net.now() + 100);
        assertTrue(net.server().closeNotifyReceived());
        assertTrue(net.client().closeNotifyReceived());
    }

    @Test
    void CID_EmptyClientId_OnlyTheServerReceivesIds() throws Exception {
        SimulatedNetwork net = network(TestKeys.clientPinning(TestKeys.ec()).emptyConnectionId(),
                TestKeys.server(TestKeys.ec()).connectionIdLength(5), SimulatedNetwork.Conditions.perfect(), 2);
        assertEquals(0, net.client().session().connectionId().length);
        assertEquals(0, net.server().session().peerConnectionId().length);
        assertEquals(5, net.client().session().peerConnectionId().length);
        exchange(net);
        assertTrue(protectedRecords(net, true, 5).stream().allMatch(r -> r.contentType() == ContentType.TLS12_CID.code));
        // RFC 9146 3: to a peer that asked for an empty ID, plain RFC 6347 records.
        assertTrue(protectedRecords(net, false, 0).stream().allMatch(r -> r.contentType() != ContentType.TLS12_CID.code));
    }

    @Test
    void CID_ServerWithoutSupport_NoIdsAreUsed() throws Exception {
        SimulatedNetwork net = network(TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4),
                TestKeys.server(TestKeys.ec()), SimulatedNetwork.Conditions.perfect(), 3);
        assertFalse(net.client().session().connectionIdNegotiated());
        assertNull(net.client().session().connectionId());
        assertNull(net.server().session().peerConnectionId());
        exchange(net);
        assertTrue(protectedRecords(net, true, 0).stream().noneMatch(r -> r.contentType() == ContentType.TLS12_CID.code));
    }

    @Test
    void CID_ClientWithoutSupport_ServerDoesNotAnswer() throws Exception {
        SimulatedNetwork net = network(TestKeys.clientPinning(TestKeys.ec()),
                TestKeys.server(TestKeys.ec()).connectionIdLength(4), SimulatedNetwork.Conditions.perfect(), 4);
        assertFalse(net.server().session().connectionIdNegotiated());
        exchange(net);
    }

    @Test
    void CID_LossAndReordering() throws Exception {
        for (long seed = 10; seed < 16; seed++) {
            SimulatedNetwork net = network(TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(3),
                    TestKeys.server(TestKeys.ec()).connectionIdLength(8),
                    new SimulatedNetwork.Conditions(0.2, 0.1, 1, 80), seed);
            assertEquals(8, net.client().session().peerConnectionId().length);
        }
    }

    @Test
    void CID_RecordWithoutIdIsDropped() throws Exception {
        SimulatedNetwork net = network(TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4),
                TestKeys.server(TestKeys.ec()).connectionIdLength(4), SimulatedNetwork.Conditions.perfect(), 5);
        // A protected record in RFC 6347 format (here: a tls12_cid record with its ID cut out) is dropped.
        net.clientSend(PING);
        SimulatedNetwork.Datagram last = net.sent().get(net.sent().size() - 1);
        net.runUntil(net.now() + 100);
        byte[] d = last.bytes();
        byte[] plain = new byte[d.length - 4];
        System.arraycopy(d, 0, plain, 0, Record.CONNECTION_ID_OFFSET);
        System.arraycopy(d, Record.CONNECTION_ID_OFFSET + 4, plain, Record.CONNECTION_ID_OFFSET, d.length - 15);
        plain[0] = (byte) ContentType.APPLICATION_DATA.code;
        plain[10]++; // a fresh sequence number, so the replay window is not what drops it
        net.inject(plain, true);
        assertEquals(1L, net.server().drops().get(DropReason.MISSING_CONNECTION_ID));
        assertEquals(1, net.serverReceived().size());

        // A tls12_cid record with another ID is dropped as well.
        byte[] wrong = d.clone();
        wrong[Record.CONNECTION_ID_OFFSET] ^= 1;
        wrong[10]++;
        net.inject(wrong, true);
        assertEquals(1L, net.server().drops().get(DropReason.UNKNOWN_CONNECTION_ID));
        assertEquals(1, net.serverReceived().size());
    }

    @Test
    void CID_ReceivedReportsOnlyNewestAuthenticatedRecords() throws Exception {
        SimulatedNetwork net = network(TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4),
                TestKeys.server(TestKeys.ec()).connectionIdLength(4), SimulatedNetwork.Conditions.perfect(), 6);
        DtlsEngine client = net.client();
        DtlsEngine server = net.server();
        client.send(PING);
        byte[] first = client.pollDatagram();
        client.send(PING);
        byte[] second = client.pollDatagram();

        DtlsEngine.Received r2 = server.receive(second, net.now());
        assertTrue(r2.movesPeerAddress());
        assertEquals(1, r2.epoch());
        DtlsEngine.Received r1 = server.receive(first, net.now());
        assertTrue(r1.authenticatedConnectionIdRecord(), "older but inside the window: delivered");
        assertFalse(r1.movesPeerAddress(), "older than the newest: must not move the peer (RFC 9146 6)");
        assertFalse(server.receive(second, net.now()).authenticatedConnectionIdRecord(), "replay");
        byte[] forged = second.clone();
        forged[forged.length - 1] ^= 1;
        forged[10] += 5;
        assertFalse(server.receive(forged, net.now()).authenticatedConnectionIdRecord(), "forgery");
    }
}

package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.record.RecordCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link DtlsEngine#sendInto}, the bulk send path that seals an application record into the
 * caller's reused buffer: what it writes is the record {@link DtlsEngine#send} would have queued
 * (same sequence numbers, same wire form), for every suite, with and without connection IDs, and
 * the peer reads every record once, in order, although the buffer is overwritten each time.
 */
class SendIntoTest {
    static List<CipherSuite> certificateSuites() {
        return Arrays.stream(CipherSuite.values()).filter(s -> s.keyExchange.usesCertificate()).toList();
    }

    private static SimulatedNetwork network(CipherSuite suite, int cidLength) {
        CertifiedKey key = TestKeys.forSuite(suite);
        DtlsConfig.Builder client = TestKeys.clientPinning(key).cipherSuites(List.of(suite));
        DtlsConfig.Builder server = TestKeys.server(key).cipherSuites(List.of(suite));
        if (cidLength > 0) {
            client.connectionIdLength(cidLength);
            server.connectionIdLength(cidLength);
        }
        SimulatedNetwork net = new SimulatedNetwork(client.build(), server.build(), SimulatedNetwork.Conditions.perfect(), 7);
        assertTrue(net.runHandshake(60_000), () -> "handshake: " + net.client().failure());
        return net;
    }

    private static byte[] payload(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    @ParameterizedTest
    @MethodSource("certificateSuites")
    void SendInto_ReusedBuffer_PeerReadsEveryRecordInOrder_EverySuite(CipherSuite suite) throws Exception {
        for (int cid : new int[] {0, 4}) {
            SimulatedNetwork net = network(suite, cid);
            DtlsEngine client = net.client();
            byte[] buffer = new byte[1200 + client.recordOverhead() + 5];
            List<byte[]> sent = new ArrayList<>();
            long firstSeq = -1;
            for (int i = 0; i < 20; i++) {
                byte[] data = payload(i % 2 == 0 ? 1200 : i, i);
                sent.add(data.clone());
                int n = client.sendInto(data, 0, data.length, buffer, 5);
                Arrays.fill(data, (byte) 0); // the engine kept nothing of the caller's array
                List<Record> records = RecordCodec.parse(buffer, 5, n, cid).records();
                assertEquals(1, records.size(), "one record, exactly filling the returned length");
                assertTrue(n <= data.length + client.recordOverhead(), "within recordOverhead()");
                if (firstSeq < 0) {
                    firstSeq = records.get(0).sequenceNumber();
                }
                assertEquals(firstSeq + i, records.get(0).sequenceNumber(), "consecutive sequence numbers");
                net.transmit(Arrays.copyOfRange(buffer, 5, 5 + n), true);
                net.runUntil(net.now() + 10);
            }
            // Interleaved with the queued path: the numbers go on from where sendInto left them.
            net.clientSend(payload(10, 99));
            net.runUntil(net.now() + 10);
            sent.add(payload(10, 99));
            List<byte[]> received = net.serverReceived();
            assertEquals(sent.size(), received.size(), suite + " cid=" + cid);
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), received.get(i), suite + " cid=" + cid + " record " + i);
            }
            assertTrue(net.server().drops().isEmpty(), () -> "server dropped " + net.server().drops());
        }
    }

    /** A DTLS 1.3 association (RFC 9147) seals through its own record layer; sendInto hands out the same. */
    @Test
    void SendInto_Dtls13_PeerReadsEveryRecordInOrder() throws Exception {
        SimulatedNetwork net = Dtls13HandshakeTest.established(Dtls13HandshakeTest.client13(TestKeys.ec()).build(),
                Dtls13HandshakeTest.server13(TestKeys.ec()).build());
        DtlsEngine client = net.client();
        byte[] buffer = new byte[1200 + client.recordOverhead()];
        assertThrows(IllegalArgumentException.class, () -> client.sendInto(new byte[1200], 0, 1200, new byte[1200], 0),
                "a buffer without room for the overhead is refused before anything is sealed");
        List<byte[]> sent = new ArrayList<>();
        int before = net.serverReceived().size();
        for (int i = 0; i < 10; i++) {
            byte[] data = payload(i % 2 == 0 ? 1200 : i + 1, i);
            sent.add(data.clone());
            int n = client.sendInto(data, 0, data.length, buffer, 0);
            net.transmit(Arrays.copyOf(buffer, n), true);
            net.runUntil(net.now() + 10);
        }
        List<byte[]> received = net.serverReceived().subList(before, net.serverReceived().size());
        assertEquals(sent.size(), received.size());
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), received.get(i), "record " + i);
        }
    }

    /**
     * DTLS 1.3 seals in place (Dtls13RecordLayer.sealInto): a KeyUpdate the AEAD limit makes due
     * (RFC 9147 4.5.3; lowered here by tls13KeyUpdateAfterRecords) is queued beside the sealed
     * record, the epochs move on once it is ACKed, and the peer still reads every record once, in
     * order, although the buffer is reused.
     */
    @Test
    void SendInto_Dtls13_KeyUpdateAtTheRecordLimitKeepsEveryRecord() throws Exception {
        for (int cid : new int[] {0, 4}) {
            DtlsConfig.Builder c = Dtls13HandshakeTest.client13(TestKeys.ec()).tls13KeyUpdateAfterRecords(5);
            DtlsConfig.Builder s = Dtls13HandshakeTest.server13(TestKeys.ec());
            if (cid > 0) {
                c.connectionIdLength(cid);
                s.connectionIdLength(cid);
            }
            SimulatedNetwork net = Dtls13HandshakeTest.established(c.build(), s.build());
            DtlsEngine client = net.client();
            byte[] buffer = new byte[1200 + client.recordOverhead() + 3];
            Arrays.fill(buffer, (byte) 0x5a);
            List<byte[]> sent = new ArrayList<>();
            int before = net.serverReceived().size();
            int epochChanges = 0;
            int lastEpochBits = -1;
            for (int i = 0; i < 40; i++) {
                byte[] data = payload(i % 3 == 0 ? 1200 : i + 1, i);
                sent.add(data.clone());
                int n = client.sendInto(data, 0, data.length, buffer, 3);
                int bits = buffer[3] & 0x03;
                if (lastEpochBits >= 0 && bits != lastEpochBits) {
                    epochChanges++;
                }
                lastEpochBits = bits;
                byte[] queued;
                while ((queued = client.pollDatagram()) != null) {
                    net.transmit(queued, true); // the KeyUpdate
                }
                net.transmit(Arrays.copyOfRange(buffer, 3, 3 + n), true);
                net.runUntil(net.now() + 10);
            }
            assertTrue(epochChanges >= 3, "keys were updated along the way: " + epochChanges + " epoch changes");
            List<byte[]> received = net.serverReceived().subList(before, net.serverReceived().size());
            assertEquals(sent.size(), received.size(), "cid=" + cid);
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), received.get(i), "cid=" + cid + " record " + i);
            }
            assertTrue(net.server().drops().isEmpty(), () -> "server dropped " + net.server().drops());
        }
    }

    @Test
    void SendInto_RefusesWhileDatagramsAreQueued_AndATooSmallBufferTakesNoSequenceNumber() throws Exception {
        SimulatedNetwork net = network(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0);
        DtlsEngine client = net.client();
        byte[] data = payload(100, 1);
        client.send(data); // queued, not polled
        assertThrows(IllegalStateException.class, () -> client.sendInto(data, 0, data.length, new byte[200], 0),
                "records must leave in order");
        byte[] queued = client.pollDatagram();
        long queuedSeq = RecordCodec.parse(queued, 0, queued.length).records().get(0).sequenceNumber();
        assertThrows(IllegalArgumentException.class, () -> client.sendInto(data, 0, data.length, new byte[100], 0));
        byte[] buffer = new byte[200];
        int n = client.sendInto(data, 0, data.length, buffer, 0);
        assertEquals(queuedSeq + 1, RecordCodec.parse(buffer, 0, n).records().get(0).sequenceNumber(),
                "the refused call left no gap");
        assertThrows(org.dtlsip.dtls.engine.DtlsException.class,
                () -> client.sendInto(new byte[client.maxApplicationDataLength() + 1], 0, client.maxApplicationDataLength() + 1,
                        new byte[20_000], 0), "the PMTU limit holds as for send()");
    }
}

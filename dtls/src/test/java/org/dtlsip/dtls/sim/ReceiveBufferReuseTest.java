package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Receivers hand {@link DtlsEngine#receive} one reused buffer for every datagram, and parsed
 * records are views into it (the receive path decrypts without copying the record out). What the
 * engine keeps or hands out must therefore never point into that buffer: delivered application
 * data stays intact when the buffer is overwritten, and a record held for the next epoch is read
 * correctly after the buffer has held other datagrams.
 */
class ReceiveBufferReuseTest {
    private static final byte SCRIBBLE = (byte) 0xA5;

    private static boolean hasEpochOne(byte[] datagram) {
        return RecordCodec.parse(datagram, 0, datagram.length).records().stream().anyMatch(r -> r.epoch() == 1);
    }

    /** Copies one record of a datagram, header included, to the start of {@code buffer}. */
    private static int copyRecord(Record r, byte[] buffer) {
        int start = r.fragmentOffset() - Record.HEADER_LENGTH;
        int length = Record.HEADER_LENGTH + r.fragmentLength();
        System.arraycopy(r.buffer(), start, buffer, 0, length);
        return length;
    }

    /** DTLS 1.2 records and DTLS 1.3 DTLSCiphertext records are both parsed as views of the buffer. */
    @ParameterizedTest(name = "version 0x{0}")
    @ValueSource(ints = {ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3})
    void DeliveredApplicationData_SurvivesTheReceiveBufferBeingReused(int version) throws Exception {
        SimulatedNetwork net = new SimulatedNetwork(TestKeys.clientPinning(TestKeys.ec()).protocols(version).build(),
                TestKeys.server(TestKeys.ec()).protocols(version).build(), SimulatedNetwork.Conditions.perfect(), 11);
        assertTrue(net.runHandshake(60_000));
        assertEquals(version, net.client().session().version());
        byte[] buffer = new byte[4096];
        List<byte[]> delivered = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] data = new byte[1200];
            Arrays.fill(data, (byte) i);
            net.server().send(data);
            byte[] datagram = net.server().pollDatagram();
            Arrays.fill(buffer, SCRIBBLE);
            System.arraycopy(datagram, 0, buffer, 100, datagram.length);
            net.client().receive(buffer, 100, datagram.length, net.now());
            byte[] record = net.client().pollApplicationData();
            assertNotNull(record);
            delivered.add(record);
        }
        Arrays.fill(buffer, SCRIBBLE);
        for (int i = 0; i < 3; i++) {
            byte[] expected = new byte[1200];
            Arrays.fill(expected, (byte) i);
            assertArrayEquals(expected, delivered.get(i), "record " + i + " is the caller's, not a view of the buffer");
        }
    }

    @Test
    void FinishedBeforeChangeCipherSpec_HeldThroughReuseOfTheBuffer_StillCompletesTheHandshake() {
        List<byte[]> held = new ArrayList<>();
        SimulatedNetwork net = new SimulatedNetwork(TestKeys.clientPinning(TestKeys.ec()).build(),
                TestKeys.server(TestKeys.ec()).build(), SimulatedNetwork.Conditions.perfect(), 12);
        net.filter(d -> {
            if (!d.toServer() && hasEpochOne(d.bytes())) {
                held.add(d.bytes()); // the server's last flight: ChangeCipherSpec + Finished
                return false;
            }
            return true;
        });
        net.runUntil(net.now() + 100);
        assertEquals(1, held.size(), "the server's final flight was held back");
        DtlsEngine client = net.client();
        assertEquals(DtlsEngine.Status.HANDSHAKING, client.status());
        List<Record> records = RecordCodec.parse(held.get(0), 0, held.get(0).length).records();
        Record ccs = records.stream().filter(r -> r.contentType() == ContentType.CHANGE_CIPHER_SPEC.code).findFirst()
                .orElseThrow();
        Record finished = records.stream().filter(r -> r.epoch() == 1).findFirst().orElseThrow();

        byte[] buffer = new byte[2048];
        int n = copyRecord(finished, buffer);
        client.receive(buffer, 0, n, net.now()); // next epoch: held until the ChangeCipherSpec
        Arrays.fill(buffer, SCRIBBLE);           // the receiver reuses its buffer
        n = copyRecord(ccs, buffer);
        client.receive(buffer, 0, n, net.now());
        assertEquals(DtlsEngine.Status.ESTABLISHED, client.status(),
                () -> "the held Finished must be read from its own bytes; drops " + client.drops());
    }
}

package org.dtlsip.dtls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.crypto.Tls13Hkdf;
import org.dtlsip.dtls.crypto.TrafficKeys;
import org.dtlsip.dtls.handshake.Ack;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.record.Dtls13RecordLayer;
import org.dtlsip.dtls.record.Dtls13RecordProtection;
import org.dtlsip.dtls.record.RecordNumber;
import org.junit.jupiter.api.Test;

/** ACK bookkeeping of a DTLS 1.3 flight (RFC 9147 7). */
class Dtls13FlightTest {
    private static Dtls13RecordLayer records() {
        Dtls13RecordLayer records = new Dtls13RecordLayer();
        Tls13CipherSuite suite = Tls13CipherSuite.TLS_AES_128_GCM_SHA256;
        records.installWriteEpoch(2, Dtls13RecordProtection.forWriting(
                TrafficKeys.derive(Tls13Hkdf.dtls13(suite.hash), suite, new byte[32])));
        return records;
    }

    private static Dtls13Flight flight(Dtls13RecordLayer records, List<byte[]> out) {
        HandshakeMessage big = new HandshakeMessage(HandshakeType.CERTIFICATE, 1, new byte[1000]);
        HandshakeMessage finished = new HandshakeMessage(HandshakeType.FINISHED, 2, new byte[32]);
        Dtls13Flight f = new Dtls13Flight(List.of(new Dtls13Flight.Item(2, big), new Dtls13Flight.Item(2, finished)), true, 0,
                400, records);
        f.transmit(records, 400, out::add, null, false);
        return f;
    }

    @Test
    void acksForRecordsNeverSentOrOfLaterEpochsAcknowledgeNothing() {
        Dtls13RecordLayer records = records();
        Dtls13Flight f = flight(records, new ArrayList<>());
        int total = f.unacknowledgedBytes();
        List<RecordNumber> bogus = List.of(new RecordNumber(2, 1_000), new RecordNumber(3, 0), new RecordNumber(0, 0),
                new RecordNumber(5, 1));
        assertEquals(0, f.acknowledge(new Ack(bogus), Long.MAX_VALUE));
        assertEquals(0, f.acknowledge(new Ack(List.of(new RecordNumber(2, 0))), 0), "an epoch-0 ACK cannot name epoch 2");
        assertEquals(total, f.unacknowledgedBytes());
        assertFalse(f.fullyAcknowledged());
    }

    @Test
    void aRetransmissionSendsOnlyWhatIsUnacknowledgedUnderNewNumbers() {
        Dtls13RecordLayer records = records();
        List<byte[]> first = new ArrayList<>();
        Dtls13Flight f = flight(records, first);
        assertTrue(first.size() >= 3, "1000 bytes at a 400-byte PMTU take several datagrams");
        // The first record (epoch 2, sequence 0) arrived; acknowledging it twice counts once.
        assertEquals(1, f.acknowledge(new Ack(List.of(new RecordNumber(2, 0), new RecordNumber(2, 0))), 2));
        int left = f.unacknowledgedBytes();
        List<byte[]> again = new ArrayList<>();
        f.transmit(records, 400, again::add, null, true);
        int firstBytes = first.stream().mapToInt(d -> d.length).sum();
        int againBytes = again.stream().mapToInt(d -> d.length).sum();
        assertTrue(againBytes < firstBytes, againBytes + " < " + firstBytes);
        // The numbers of the first transmission no longer acknowledge the resent pieces.
        // Four pieces went out as records 0-3 (three of the Certificate, the Finished); the resent three are 4-6.
        List<RecordNumber> old = new ArrayList<>();
        for (long seq = 1; seq < 4; seq++) {
            old.add(new RecordNumber(2, seq));
        }
        assertEquals(0, f.acknowledge(new Ack(old), 2));
        assertEquals(left, f.unacknowledgedBytes());
        List<RecordNumber> fresh = new ArrayList<>();
        for (long seq = 4; seq < 7; seq++) {
            fresh.add(new RecordNumber(2, seq));
        }
        f.acknowledge(new Ack(fresh), 2);
        assertTrue(f.fullyAcknowledged());
    }
}

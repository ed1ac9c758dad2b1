package org.dtlsip.dtls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtlsip.dtls.handshake.Ack;
import org.dtlsip.dtls.record.RecordNumber;
import org.junit.jupiter.api.Test;

/**
 * RFC 9147 7.1: what the next ACK lists. A peer can make every record "fresh" (fragments that
 * restart a partial message with another length add new bytes again), so between two ACKs the
 * list must stay bounded: it held every record number in a list searched linearly per record,
 * quadratic work and unbounded memory within one ACK delay.
 */
class Dtls13AcksTest {
    @Test
    void manyFreshRecordsBetweenTwoAcksKeepABoundedList() {
        Dtls13Acks acks = new Dtls13Acks();
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            acks.note(new RecordNumber(2, i));
            acks.note(new RecordNumber(2, i)); // a repeat is listed once
        }
        assertTrue(acks.size() <= Dtls13Acks.MAX_RECORDS, "held " + acks.size());
        Ack ack = acks.take();
        List<RecordNumber> listed = ack.recordNumbers();
        assertEquals(Math.min(Dtls13Acks.MAX_RECORDS, Ack.MAX_ENTRIES), listed.size());
        assertEquals(new RecordNumber(2, n - 1), listed.get(listed.size() - 1), "the newest records are listed");
        for (int i = 1; i < listed.size(); i++) {
            assertTrue(listed.get(i - 1).compareTo(listed.get(i)) < 0, "ascending, no duplicates");
        }
        assertEquals(0, acks.size());
    }
}

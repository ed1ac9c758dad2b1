package org.dtlsip.dtls.handshake;

import static org.dtlsip.dtls.util.Hex.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.List;
import org.dtlsip.dtls.record.RecordNumber;
import org.dtlsip.dtls.util.DecodeException;
import org.junit.jupiter.api.Test;

/** RFC 9147 7: the ACK's record numbers are pairs of uint64. */
class AckTest {

    @Test
    void encodesEpochAndSequenceAsTwoUint64() {
        Ack ack = new Ack(List.of(new RecordNumber(2, 0), new RecordNumber(3, 0x0102_0304_0506L)));
        assertArrayEquals(decode("0020" + "0000000000000002" + "0000000000000000"
                + "0000000000000003" + "0000010203040506"), ack.encode());
        assertEquals(ack, Ack.decode(ack.encode()));
    }

    @Test
    void anEmptyAckIsLegal() {
        assertArrayEquals(decode("0000"), new Ack(List.of()).encode());
        assertEquals(List.of(), Ack.decode(decode("0000")).recordNumbers());
    }

    @Test
    void malformedAcksAreDecodeErrors() {
        assertThrows(DecodeException.class, () -> Ack.decode(decode("000f" + "00".repeat(15))));
        assertThrows(DecodeException.class, () -> Ack.decode(decode("0010" + "00".repeat(8))));
        assertThrows(DecodeException.class, () -> Ack.decode(decode("0000" + "00")));
        // A sequence number above 2^48 - 1 names no record; nor does an epoch above 2^63 - 1.
        assertThrows(DecodeException.class, () -> Ack.decode(decode("0010" + "0000000000000003" + "0001000000000000")));
        assertThrows(DecodeException.class, () -> Ack.decode(decode("0010" + "8000000000000000" + "0000000000000000")));
    }

    @Test
    void recordNumbersOrderByEpochThenSequence() {
        List<RecordNumber> numbers = new java.util.ArrayList<>(List.of(new RecordNumber(3, 1), new RecordNumber(2, 9),
                new RecordNumber(3, 0)));
        Collections.sort(numbers);
        assertEquals(List.of(new RecordNumber(2, 9), new RecordNumber(3, 0), new RecordNumber(3, 1)), numbers);
        assertThrows(IllegalArgumentException.class, () -> new Ack(Collections.nCopies(Ack.MAX_ENTRIES + 1, new RecordNumber(0, 0))));
    }
}

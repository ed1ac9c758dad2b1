package org.dtlsip.dtls.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Demultiplexing and delimiting DTLS 1.3 records (RFC 9147 4, 4.1). */
class Dtls13RecordCodecTest {

    @Test
    void plaintextAndCiphertextRecordsShareADatagram() {
        byte[] datagram = {
            22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 7, 0, 2, 1, 2,   // handshake, seq 7
            26, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0,         // empty ACK, seq 8
            0x2e, 0x12, 0x34, 0, 3, 9, 9, 9,                                     // 16-bit seq, length 3
            0x22, 0x56, 5, 5, 5, 5};                                             // 8-bit seq, no length
        Dtls13RecordCodec.Parsed parsed = Dtls13RecordCodec.parse(datagram, 0, datagram.length, 0);
        assertFalse(parsed.malformedTail());
        assertEquals(4, parsed.records().size());
        Dtls13Record.Plaintext hs = assertInstanceOf(Dtls13Record.Plaintext.class, parsed.records().get(0));
        assertEquals(7, hs.sequenceNumber());
        assertArrayEquals(new byte[] {1, 2}, hs.fragment());
        assertEquals(26, ((Dtls13Record.Plaintext) parsed.records().get(1)).contentType());
        Dtls13Record.Ciphertext c = assertInstanceOf(Dtls13Record.Ciphertext.class, parsed.records().get(2));
        assertEquals(2, c.epochBits());
        assertEquals(2, c.sequenceNumberLength());
        assertArrayEquals(new byte[] {0x2e, 0x12, 0x34, 0, 3}, c.header());
        assertArrayEquals(new byte[] {9, 9, 9}, c.encryptedRecord());
        Dtls13Record.Ciphertext last = (Dtls13Record.Ciphertext) parsed.records().get(3);
        assertEquals(1, last.sequenceNumberLength());
        assertArrayEquals(new byte[] {5, 5, 5, 5}, last.encryptedRecord());
        assertEquals(datagram.length, parsed.records().stream().mapToInt(Dtls13Record::encodedLength).sum());
    }

    @Test
    void connectionIdIsDelimitedByTheLengthWeReceiveOn() {
        byte[] datagram = {0x3f, 7, 7, 7, 0x00, 0x01, 0, 2, 4, 4};
        Dtls13Record.Ciphertext c = (Dtls13Record.Ciphertext) Dtls13RecordCodec.parse(datagram, 0, datagram.length, 3)
                .records().get(0);
        assertArrayEquals(new byte[] {7, 7, 7}, c.connectionId());
        assertArrayEquals(new byte[] {4, 4}, c.encryptedRecord());
        assertArrayEquals(new byte[] {7, 7, 7}, Dtls13RecordCodec.firstConnectionId(datagram, 0, datagram.length, 3));
        assertNull(Dtls13RecordCodec.firstConnectionId(new byte[] {0x2f, 0, 0}, 0, 3, 3));
    }

    /** RFC 9147 4.1: any other first byte is rejected, and nothing after it can be delimited. */
    @Test
    void unknownFirstBytesEndTheDatagram() {
        for (int first : new int[] {0, 20, 23, 24, 25, 27, 0x40, 0x80, 0xff}) {
            byte[] datagram = {(byte) first, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            Dtls13RecordCodec.Parsed parsed = Dtls13RecordCodec.parse(datagram, 0, datagram.length, 0);
            assertTrue(parsed.malformedTail(), "first byte " + first);
            assertTrue(parsed.records().isEmpty());
        }
    }

    @Test
    void lengthsBeyondTheDatagramOrTheLimitEndParsing() {
        byte[] overrun = {0x2e, 0, 0, 0, 9, 1, 2};
        assertTrue(Dtls13RecordCodec.parse(overrun, 0, overrun.length, 0).malformedTail());
        byte[] huge = new byte[5 + Dtls13RecordCodec.MAX_CIPHERTEXT_LENGTH + 1];
        huge[0] = 0x2e;
        huge[3] = (byte) ((Dtls13RecordCodec.MAX_CIPHERTEXT_LENGTH + 1) >>> 8);
        huge[4] = (byte) (Dtls13RecordCodec.MAX_CIPHERTEXT_LENGTH + 1);
        assertTrue(Dtls13RecordCodec.parse(huge, 0, huge.length, 0).malformedTail());
        byte[] truncatedHeader = {0x2e, 0};
        assertTrue(Dtls13RecordCodec.parse(truncatedHeader, 0, 2, 0).malformedTail());
        byte[] shortPlaintext = {22, (byte) 0xfe, (byte) 0xfd, 0, 0};
        assertTrue(Dtls13RecordCodec.parse(shortPlaintext, 0, 5, 0).malformedTail());
    }

    /** Hostile datagrams: parsing never throws and never reads outside the slice. */
    @Test
    void randomDatagramsParseWithoutExceptions() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] datagram = new byte[random.nextInt(64)];
            random.nextBytes(datagram);
            if (datagram.length > 0 && random.nextBoolean()) {
                datagram[0] = (byte) (0x20 | (datagram[0] & 0x1f));
            }
            int off = datagram.length == 0 ? 0 : random.nextInt(datagram.length);
            Dtls13RecordCodec.Parsed parsed = Dtls13RecordCodec.parse(datagram, off, datagram.length - off,
                    random.nextInt(3));
            int consumed = parsed.records().stream().mapToInt(Dtls13Record::encodedLength).sum();
            assertTrue(consumed <= datagram.length - off);
        }
    }
}

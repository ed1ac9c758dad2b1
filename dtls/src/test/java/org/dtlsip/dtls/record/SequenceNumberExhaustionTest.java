package org.dtlsip.dtls.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dtlsip.dtls.util.ByteWriter;
import org.junit.jupiter.api.Test;

/**
 * RFC 6347 4.1 (and RFC 5246 6.1): sequence numbers never wrap. The record layer reports an
 * exhausted epoch instead of throwing, and keeps the last number for the alert that ends the
 * association.
 */
class SequenceNumberExhaustionTest {
    private static final long MAX = Record.MAX_SEQUENCE_NUMBER;

    private static long lastSequenceNumber(ByteWriter out) {
        byte[] b = out.toByteArray();
        return RecordCodec.parse(b, 0, b.length).records().get(0).sequenceNumber();
    }

    @Test
    void theLastNumberIsKeptForTheFinalAlert() {
        RecordLayer layer = new RecordLayer(ProtocolVersion.DTLS_1_2, MAX - 1);
        ByteWriter first = new ByteWriter();
        assertTrue(layer.write(first, 0, ContentType.HANDSHAKE.code, new byte[] {1}));
        assertEquals(MAX - 1, lastSequenceNumber(first));
        assertTrue(layer.exhausted(0));
        ByteWriter refused = new ByteWriter();
        assertFalse(layer.write(refused, 0, ContentType.HANDSHAKE.code, new byte[] {2}));
        assertEquals(0, refused.size(), "nothing written");
        assertNull(layer.encode(0, ContentType.APPLICATION_DATA.code, new byte[] {3}, 0, 1));
        ByteWriter alert = new ByteWriter();
        assertTrue(layer.writeFinal(alert, 0, new byte[] {2, 80}));
        assertEquals(MAX, lastSequenceNumber(alert));
        assertFalse(layer.writeFinal(new ByteWriter(), 0, new byte[] {2, 80}), "2^48-1 is used once; nothing wraps to 0");
    }

    @Test
    void aFirstNumberOutsideFortyEightBitsIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> new RecordLayer(ProtocolVersion.DTLS_1_2, MAX + 1));
        assertThrows(IllegalArgumentException.class, () -> new RecordLayer(ProtocolVersion.DTLS_1_2, -1));
    }
}

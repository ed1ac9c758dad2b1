package org.dtlsip.dtls.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * Fuzz target: the record header parser (RFC 6347 4.1) on arbitrary datagrams. It must never
 * throw, never read past the datagram, and what it returns must re-encode to exactly the
 * bytes it consumed (a prefix of the datagram). Seeds: {@code RecordCodecFuzzTestInputs/}.
 */
class RecordCodecFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] datagram) {
        RecordCodec.Parsed parsed = RecordCodec.parse(datagram, 0, datagram.length);
        ByteWriter again = new ByteWriter(datagram.length);
        for (Record r : parsed.records()) {
            assertTrue(r.fragment().length <= Record.MAX_CIPHERTEXT_LENGTH);
            RecordCodec.encode(again, r.contentType(), r.version(), r.epoch(), r.sequenceNumber(), r.fragment());
        }
        byte[] consumed = again.toByteArray();
        assertTrue(consumed.length <= datagram.length);
        assertArrayEquals(Arrays.copyOf(datagram, consumed.length), consumed);
        assertTrue(parsed.malformedTail() == (consumed.length != datagram.length));
    }
}

package org.dtlsip.dtls.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.Reassembler;

/**
 * Fuzz target: the reassembler fed an arbitrary fragment sequence. It never throws, never
 * holds more than its byte budget, and releases messages strictly in message_seq order.
 */
class ReassemblerFuzzTest {
    private static final Reassembler.Limits LIMITS = new Reassembler.Limits(8192, 4, 12_000);

    @FuzzTest(maxDuration = "10s")
    void offer(FuzzedDataProvider data) {
        Reassembler r = new Reassembler(data.consumeInt(0, 3), LIMITS);
        int expected = r.nextExpectedSeq();
        while (data.remainingBytes() > 12) {
            int type = data.consumeInt(0, 255);
            int length = data.consumeBoolean() ? data.consumeInt(0, HandshakeFragment.MAX_UINT24) : data.consumeInt(0, 300);
            int seq = Math.max(0, r.nextExpectedSeq() + data.consumeInt(-2, 6));
            int offset = length == 0 ? 0 : data.consumeInt(0, length - 1);
            byte[] bytes = data.consumeBytes(Math.min(length - offset, data.consumeInt(0, 64)));
            r.offer(new HandshakeFragment(type, length, Math.min(seq, HandshakeFragment.MAX_MESSAGE_SEQ), offset, bytes));
            assertTrue(r.bufferedBytes() >= 0 && r.bufferedBytes() <= LIMITS.maxBufferedBytes());
            HandshakeMessage m;
            while ((m = r.poll()) != null) {
                assertEquals(expected++, m.messageSeq());
                assertTrue(m.body().length <= LIMITS.maxMessageLength());
            }
        }
    }
}

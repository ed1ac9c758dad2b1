package org.dtlsip.dtls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.engine.MessageTrace.AckEvent;
import org.dtlsip.dtls.engine.MessageTrace.AlertEvent;
import org.dtlsip.dtls.engine.MessageTrace.Direction;
import org.dtlsip.dtls.engine.MessageTrace.HandshakeEvent;
import org.dtlsip.dtls.engine.MessageTrace.RecordEvent;
import org.dtlsip.dtls.engine.MessageTrace.RetransmissionEvent;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.RecordNumber;
import org.junit.jupiter.api.Test;

/** The lines {@code -msg} and {@code --trace} print, for every kind of event, DTLS 1.3's included. */
class MessageTraceFormatTest {
    @Test
    void recordLinesSayDirectionEpochSequenceTypeSizeAndWhatBecameOfThem() {
        assertEquals(">>> record epoch 0 seq 0: handshake, 225 bytes",
                MessageTraceFormat.line(new RecordEvent(Direction.SENT, 0, 0, ContentType.HANDSHAKE.code, 225, false, null)));
        assertEquals(">>> record epoch 1 seq 7: handshake, 61 bytes, encrypted, retransmission",
                MessageTraceFormat.line(new RecordEvent(Direction.SENT, 1, 7, ContentType.HANDSHAKE.code, 61, true, null)));
        assertEquals("<<< record epoch 0 seq 3: change_cipher_spec, 14 bytes",
                MessageTraceFormat.line(new RecordEvent(Direction.RECEIVED, 0, 3, ContentType.CHANGE_CIPHER_SPEC.code, 14,
                        false, null)));
        assertEquals("<<< record epoch 1 seq 2: alert, 39 bytes, decrypted",
                MessageTraceFormat.line(new RecordEvent(Direction.RECEIVED, 1, 2, ContentType.ALERT.code, 39, false, null)));
        assertEquals("<<< record epoch 2 seq 9: tls12_cid, 50 bytes, dropped: bad record mac",
                MessageTraceFormat.line(new RecordEvent(Direction.RECEIVED, 2, 9, ContentType.TLS12_CID.code, 50, false,
                        DropReason.BAD_RECORD_MAC)));
        assertEquals("<<< record epoch 0 seq 1: content_type(99), 20 bytes, dropped: unknown content type",
                MessageTraceFormat.line(new RecordEvent(Direction.RECEIVED, 0, 1, 99, 20, false, DropReason.UNKNOWN_CONTENT_TYPE)));
    }

    @Test
    void dtls13RecordsHaveLongEpochsHiddenTypesAndAcks() {
        long epoch = (1L << 48) - 1;
        assertEquals("<<< record epoch 281474976710655 seq 281474976710654: protected, 40 bytes, dropped: replay",
                MessageTraceFormat.line(new RecordEvent(Direction.RECEIVED, epoch, epoch - 1, RecordEvent.UNKNOWN_CONTENT_TYPE, 40,
                        false, DropReason.REPLAY)));
        assertEquals("<<< record epoch 2 seq 0: ack, 40 bytes, decrypted",
                MessageTraceFormat.line(new RecordEvent(Direction.RECEIVED, 2, 0, ContentType.ACK.code, 40, false, null)));
        assertEquals(">>>   ACK of 2/0, 2/1, 3/5 (epoch 3)", MessageTraceFormat.line(new AckEvent(Direction.SENT, 3,
                List.of(new RecordNumber(2, 0), new RecordNumber(2, 1), new RecordNumber(3, 5)))));
        assertEquals("<<<   ACK of nothing (epoch 3)", MessageTraceFormat.line(new AckEvent(Direction.RECEIVED, 3, List.of())));
        assertEquals(">>>   EncryptedExtensions message_seq 1, fragment 0+2 of 2 (epoch 2)",
                MessageTraceFormat.line(new HandshakeEvent(Direction.SENT, 2, 8, 2, 1, 0, 2, false)));
    }

    @Test
    void handshakeLinesNameTheMessageAndItsFragment() {
        assertEquals(">>>   ClientHello message_seq 0, fragment 0+200 of 200 (epoch 0)",
                MessageTraceFormat.line(new HandshakeEvent(Direction.SENT, 0, 1, 200, 0, 0, 200, false)));
        assertEquals("<<<   HelloVerifyRequest message_seq 0, fragment 0+23 of 23 (epoch 0)",
                MessageTraceFormat.line(new HandshakeEvent(Direction.RECEIVED, 0, 3, 23, 0, 0, 23, false)));
        assertEquals("<<<   Certificate message_seq 2, fragment 1100+300 of 1400 (epoch 0), retransmission",
                MessageTraceFormat.line(new HandshakeEvent(Direction.RECEIVED, 0, 11, 1400, 2, 1100, 300, true)));
        assertEquals("<<<   ServerHelloDone message_seq 4, fragment 0+0 of 0 (epoch 0)",
                MessageTraceFormat.line(new HandshakeEvent(Direction.RECEIVED, 0, 14, 0, 4, 0, 0, false)));
        assertEquals("<<<   handshake_type(99) message_seq 4, fragment 0+1 of 1 (epoch 0)",
                MessageTraceFormat.line(new HandshakeEvent(Direction.RECEIVED, 0, 99, 1, 4, 0, 1, false)));
    }

    @Test
    void alertsAndRetransmissionsAreNamed() {
        assertEquals("<<<   Alert fatal handshake_failure (epoch 0)",
                MessageTraceFormat.line(new AlertEvent(Direction.RECEIVED, 0, 2, 40)));
        assertEquals(">>>   Alert warning close_notify (epoch 1)", MessageTraceFormat.line(new AlertEvent(Direction.SENT, 1, 1, 0)));
        assertEquals("<<<   Alert level(7) alert(201) (epoch 1)", MessageTraceFormat.line(new AlertEvent(Direction.RECEIVED, 1, 7, 201)));
        assertEquals(">>> === retransmission 3: no answer within 4000 ms, sending the flight again",
                MessageTraceFormat.line(new RetransmissionEvent(RetransmissionEvent.Cause.TIMER, 4_000, 3)));
        assertEquals(">>> === retransmission 1: the peer repeated its last flight, so ours was lost, sending the flight again",
                MessageTraceFormat.line(new RetransmissionEvent(RetransmissionEvent.Cause.PEER_REPEAT, 1_000, 1)));
    }

    @Test
    void eventsAreValues() {
        List<RecordNumber> numbers = new ArrayList<>(List.of(new RecordNumber(2, 0)));
        AckEvent ack = new AckEvent(Direction.SENT, 2, numbers);
        numbers.add(new RecordNumber(2, 1));
        assertEquals(List.of(new RecordNumber(2, 0)), ack.acknowledged(), "copied, not shared");
        assertThrows(UnsupportedOperationException.class, () -> ack.acknowledged().add(new RecordNumber(3, 0)));
        assertThrows(NullPointerException.class, () -> new RecordEvent(null, 0, 0, 22, 1, false, null));
    }
}

package org.dtlsip.dtls.engine;

import org.dtlsip.dtls.engine.MessageTrace.Direction;
import org.dtlsip.dtls.engine.MessageTrace.HandshakeEvent;
import org.dtlsip.dtls.engine.MessageTrace.RecordEvent;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the engine's classes report to a {@link MessageTrace}. Callers check that a trace is set
 * before they build an event, so that without one nothing is allocated.
 */
final class Traces {
    private static final Logger log = LoggerFactory.getLogger(MessageTrace.class);

    private Traces() {
    }

    /** Hands {@code event} to {@code trace}; what the trace throws is logged, never the association's problem. */
    static void emit(MessageTrace trace, MessageTrace.Event event) {
        try {
            trace.onMessage(event);
        } catch (RuntimeException e) {
            // Its stack at debug only: a broken trace throws on every record.
            log.warn("the message trace threw {} on {}; ignored", e, event);
            log.debug("the message trace's exception", e);
        }
    }

    /** A received DTLS 1.2 record, read as {@code contentType} or dropped for {@code dropped}. */
    static void received(MessageTrace trace, Record record, int contentType, DropReason dropped) {
        emit(trace, new RecordEvent(Direction.RECEIVED, record.epoch(), record.sequenceNumber(), contentType,
                record.encodedLength(), false, dropped));
    }

    static void fragment(MessageTrace trace, Direction direction, long epoch, HandshakeFragment fragment,
            boolean retransmission) {
        emit(trace, new HandshakeEvent(direction, epoch, fragment.msgType(), fragment.length(), fragment.messageSeq(),
                fragment.fragmentOffset(), fragment.fragmentLength(), retransmission));
    }
}

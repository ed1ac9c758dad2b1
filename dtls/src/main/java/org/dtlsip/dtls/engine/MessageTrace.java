package org.dtlsip.dtls.engine;

import java.util.List;
import java.util.Objects;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.RecordNumber;

/**
 * Sees every record and handshake message an association sends and receives, as
 * {@code openssl s_client -msg} shows them: set one with
 * {@link org.dtlsip.dtls.config.DtlsConfig.Builder#messageTrace}, for either role. The library
 * only reports; {@link MessageTraceFormat} turns an event into one line for a program to print.
 *
 * <p>What is reported, in the order it happens:
 * <ul>
 * <li>every record sent ({@link RecordEvent}), and for a handshake record each fragment in it
 *     ({@link HandshakeEvent}), for an alert record the alert ({@link AlertEvent});
 * <li>every record received, after the engine decided on it: read (decrypted, for a protected
 *     epoch), or dropped and why. A record of the next epoch held until its ChangeCipherSpec is
 *     reported when it is read, after that ChangeCipherSpec;
 * <li>before a flight is sent again, why ({@link RetransmissionEvent}); its records then carry
 *     {@code retransmission}. A handshake fragment received again after its message was
 *     processed (the peer retransmitted) carries it too;
 * <li>the server's stateless cookie exchange ({@link CookieExchange}): the ClientHello it answers
 *     with a HelloVerifyRequest, that HelloVerifyRequest, and the first record of what it drops.
 *     A ClientHello it accepts is reported by the association it creates.
 * </ul>
 *
 * <p>Cost: with no trace set, each place that could report does one null check, allocates
 * nothing and formats nothing. With one, every event is one small immutable object.
 *
 * <p>Called synchronously on the thread that drives the engine (for a multi-peer server, the
 * loop that serves every peer): keep it short, and never call back into the engine. Events do
 * not name the peer; a server trace of several peers at once interleaves them. An exception it
 * throws is logged and otherwise ignored: a trace never changes what the association does.
 *
 * <p>DTLS 1.3 (RFC 9147) reports through the same types: epochs and sequence numbers are
 * {@code long} (RFC 9147 4 numbers both in 64 bits), {@link RecordEvent#contentType()} is the
 * real type from inside DTLSInnerPlaintext, and ACK records (RFC 9147 7) are {@link AckEvent}s.
 */
@FunctionalInterface
public interface MessageTrace {
    /** One thing sent or received; the events are values, safe to keep and to hand to other threads. */
    void onMessage(Event event);

    /** Which way a record or message went, from this association's point of view. */
    enum Direction {
        SENT,
        RECEIVED
    }

    /** What a trace reports. */
    sealed interface Event permits RecordEvent, HandshakeEvent, AlertEvent, AckEvent, RetransmissionEvent {
    }

    /**
     * One record.
     *
     * @param epoch the record's epoch
     * @param sequenceNumber its sequence number (DTLS 1.3: as reconstructed, RFC 9147 4.2.2)
     * @param contentType the content type as far as it is known: for a record with an inner type
     *     (RFC 9146 tls12_cid, DTLS 1.3 ciphertext) the real one once decrypted; for a received
     *     record dropped before that, the header's (tls12_cid), or {@link #UNKNOWN_CONTENT_TYPE}
     *     where the header has none (DTLS 1.3 unified header)
     * @param length bytes the record takes in its datagram, header included
     * @param retransmission sent as part of a flight sent again
     * @param dropped why a received record was discarded (RFC 6347 4.1.2.7: silently); {@code null}
     *     when it was read, and for every record sent
     */
    record RecordEvent(Direction direction, long epoch, long sequenceNumber, int contentType, int length,
            boolean retransmission, DropReason dropped) implements Event {
        /** {@link #contentType()} of a record whose type is hidden in protection not removed. */
        public static final int UNKNOWN_CONTENT_TYPE = -1;

        public RecordEvent {
            Objects.requireNonNull(direction);
        }
    }

    /**
     * One handshake fragment (RFC 6347 4.2.2): a whole message when {@code fragmentOffset} is 0
     * and {@code fragmentLength} equals {@code length}.
     *
     * @param epoch the epoch of the record that carried it
     * @param msgType the HandshakeType's wire value (unknown values are reported as they came)
     * @param length the whole message body's length
     * @param retransmission sent: part of a flight sent again; received: the message was already
     *     processed, so the peer sent it again
     */
    record HandshakeEvent(Direction direction, long epoch, int msgType, int length, int messageSeq, int fragmentOffset,
            int fragmentLength, boolean retransmission) implements Event {
        public HandshakeEvent {
            Objects.requireNonNull(direction);
        }
    }

    /**
     * One alert (RFC 5246 7.2), decrypted when its epoch is protected.
     *
     * @param level the AlertLevel's wire value (1 warning, 2 fatal)
     * @param description the AlertDescription's wire value; {@link AlertDescription#nameOf} names it
     */
    record AlertEvent(Direction direction, long epoch, int level, int description) implements Event {
        public AlertEvent {
            Objects.requireNonNull(direction);
        }
    }

    /**
     * One DTLS 1.3 ACK (RFC 9147 7): the record numbers it acknowledges. The record that carries
     * it is a {@link RecordEvent} of content type ack.
     */
    record AckEvent(Direction direction, long epoch, List<RecordNumber> acknowledged) implements Event {
        public AckEvent {
            Objects.requireNonNull(direction);
            acknowledged = List.copyOf(acknowledged);
        }
    }

    /**
     * Our last flight is about to be sent again (RFC 6347 4.2.4); its records follow, marked.
     *
     * @param timerMillis the retransmission timer that expired ({@link Cause#TIMER}), or the one
     *     running when the peer repeated itself
     * @param count retransmissions of this association so far, this one included
     */
    record RetransmissionEvent(Cause cause, long timerMillis, long count) implements Event {
        /** Why a flight is sent again. */
        public enum Cause {
            /** No answer before the retransmission timer expired: our flight or the answer was lost. */
            TIMER,
            /** The peer sent its last flight again, so it never got ours (RFC 6347 4.2.4). */
            PEER_REPEAT
        }

        public RetransmissionEvent {
            Objects.requireNonNull(cause);
        }
    }
}

package org.dtlsip.dtls.engine;

import java.util.Locale;
import org.dtlsip.dtls.engine.MessageTrace.AckEvent;
import org.dtlsip.dtls.engine.MessageTrace.AlertEvent;
import org.dtlsip.dtls.engine.MessageTrace.Direction;
import org.dtlsip.dtls.engine.MessageTrace.HandshakeEvent;
import org.dtlsip.dtls.engine.MessageTrace.RecordEvent;
import org.dtlsip.dtls.engine.MessageTrace.RetransmissionEvent;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.RecordNumber;

/**
 * One line of text per {@link MessageTrace} event, as the command-line tools print them
 * ({@code dtls-client -msg}, {@code sample-uac --trace}). {@code >>>} marks what was sent,
 * {@code <<<} what was received; a message line is indented under its record's line:
 *
 * <pre>
 * &gt;&gt;&gt; record epoch 0 seq 0: handshake, 225 bytes
 * &gt;&gt;&gt;   ClientHello message_seq 0, fragment 0+200 of 200 (epoch 0)
 * &lt;&lt;&lt; record epoch 1 seq 0: handshake, 61 bytes, decrypted
 * &lt;&lt;&lt;   Finished message_seq 5, fragment 0+12 of 12 (epoch 1)
 * &gt;&gt;&gt; === retransmission 1: no answer within 1000 ms, sending the flight again
 * &lt;&lt;&lt; record epoch 1 seq 9: application_data, 61 bytes, dropped: replay
 * </pre>
 *
 * Content types, alerts and drop reasons use the RFC spelling ({@code change_cipher_spec},
 * {@code close_notify}); handshake messages their RFC structure names ({@code ServerHelloDone}).
 * The library formats; it never prints.
 */
public final class MessageTraceFormat {
    private static final String SENT = ">>> ";
    private static final String RECEIVED = "<<< ";
    /** Under the record line whose payload it is. */
    private static final String INDENT = "  ";

    private MessageTraceFormat() {
    }

    /** The event as one line, without a line terminator. */
    public static String line(MessageTrace.Event event) {
        StringBuilder s = new StringBuilder(96);
        if (event instanceof RecordEvent r) {
            record(s, r);
        } else if (event instanceof HandshakeEvent h) {
            handshake(s, h);
        } else if (event instanceof AlertEvent a) {
            s.append(arrow(a.direction())).append(INDENT).append("Alert ").append(level(a.level())).append(' ')
                    .append(AlertDescription.nameOf(a.description())).append(" (epoch ").append(a.epoch()).append(')');
        } else if (event instanceof AckEvent a) {
            ack(s, a);
        } else if (event instanceof RetransmissionEvent r) {
            s.append(SENT).append("=== retransmission ").append(r.count()).append(": ")
                    .append(r.cause() == RetransmissionEvent.Cause.TIMER
                            ? "no answer within " + r.timerMillis() + " ms"
                            : "the peer repeated its last flight, so ours was lost")
                    .append(", sending the flight again");
        }
        return s.toString();
    }

    private static void record(StringBuilder s, RecordEvent r) {
        s.append(arrow(r.direction())).append("record epoch ").append(r.epoch()).append(" seq ").append(r.sequenceNumber())
                .append(": ").append(contentType(r.contentType())).append(", ").append(r.length()).append(" bytes");
        if (r.dropped() != null) {
            s.append(", dropped: ").append(r.dropped().name().toLowerCase(Locale.ROOT).replace('_', ' '));
            return;
        }
        if (r.epoch() > 0) {
            // Epoch 0 is plaintext in DTLS 1.2 and 1.3; every later epoch is protected.
            s.append(r.direction() == Direction.SENT ? ", encrypted" : ", decrypted");
        }
        if (r.retransmission()) {
            s.append(", retransmission");
        }
    }

    private static void handshake(StringBuilder s, HandshakeEvent h) {
        s.append(arrow(h.direction())).append(INDENT).append(messageName(h.msgType())).append(" message_seq ")
                .append(h.messageSeq()).append(", fragment ").append(h.fragmentOffset()).append('+')
                .append(h.fragmentLength()).append(" of ").append(h.length()).append(" (epoch ").append(h.epoch()).append(')');
        if (h.retransmission()) {
            s.append(", retransmission");
        }
    }

    private static void ack(StringBuilder s, AckEvent a) {
        s.append(arrow(a.direction())).append(INDENT).append("ACK of");
        if (a.acknowledged().isEmpty()) {
            s.append(" nothing");
        }
        String separator = " ";
        for (RecordNumber n : a.acknowledged()) {
            s.append(separator).append(n.epoch()).append('/').append(n.sequenceNumber());
            separator = ", ";
        }
        s.append(" (epoch ").append(a.epoch()).append(')');
    }

    private static String arrow(Direction d) {
        return d == Direction.SENT ? SENT : RECEIVED;
    }

    /** RFC 5246 6.2.1 spelling: change_cipher_spec, alert, handshake, application_data, ... */
    static String contentType(int code) {
        if (code == RecordEvent.UNKNOWN_CONTENT_TYPE) {
            return "protected";
        }
        ContentType t = ContentType.of(code);
        return t != null ? t.name().toLowerCase(Locale.ROOT) : "content_type(" + code + ")";
    }

    /** The structure's name in the RFCs: CLIENT_HELLO is ClientHello, HELLO_VERIFY_REQUEST HelloVerifyRequest. */
    static String messageName(int msgType) {
        HandshakeType t = HandshakeType.of(msgType);
        if (t == null) {
            return "handshake_type(" + msgType + ")";
        }
        StringBuilder name = new StringBuilder();
        for (String word : t.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    private static String level(int code) {
        AlertLevel level = AlertLevel.of(code);
        return level != null ? level.name().toLowerCase(Locale.ROOT) : "level(" + code + ")";
    }
}

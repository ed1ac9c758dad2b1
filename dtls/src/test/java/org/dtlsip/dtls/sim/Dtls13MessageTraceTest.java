package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.engine.MessageTrace;
import org.dtlsip.dtls.engine.MessageTraceFormat;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.RecordNumber;
import org.junit.jupiter.api.Test;

/** The message trace (-msg) follows a DTLS 1.3 association past the version switch: records, messages, ACKs, alerts. */
class Dtls13MessageTraceTest {
    private static final CertifiedKey KEY = TestKeys.ec();

    private static String script(MessageTrace.Event e) {
        if (e instanceof MessageTrace.HandshakeEvent h) {
            return (h.direction() == MessageTrace.Direction.SENT ? ">>> " : "<<< ") + HandshakeType.of(h.msgType()) + " "
                    + h.messageSeq() + " e" + h.epoch();
        }
        if (e instanceof MessageTrace.AckEvent a) {
            return (a.direction() == MessageTrace.Direction.SENT ? ">>> " : "<<< ") + "ACK e" + a.epoch() + " "
                    + a.acknowledged().stream().map(RecordNumber::epoch).distinct().toList();
        }
        if (e instanceof MessageTrace.AlertEvent a) {
            return (a.direction() == MessageTrace.Direction.SENT ? ">>> " : "<<< ") + "alert " + a.description() + " e" + a.epoch();
        }
        return null;
    }

    @Test
    void clientTraceShowsTheDtls13HandshakeAckAndClose() throws Exception {
        List<MessageTrace.Event> events = new ArrayList<>();
        SimulatedNetwork net = Dtls13HandshakeTest.established(
                Dtls13HandshakeTest.client13(KEY).messageTrace(events::add).build(),
                Dtls13HandshakeTest.server13(KEY).cookieExchange(false).build());
        net.runUntil(net.now() + 100);
        net.clientSend(new byte[] {1, 2, 3});
        net.clientClose();
        net.runUntil(net.now() + 100);
        List<String> lines = new ArrayList<>();
        for (MessageTrace.Event e : events) {
            String line = script(e);
            if (line != null) {
                lines.add(line);
            }
            assertTrue(!MessageTraceFormat.line(e).isBlank(), "every event formats");
        }
        assertEquals(List.of(
                ">>> CLIENT_HELLO 0 e0",
                "<<< SERVER_HELLO 0 e0",
                "<<< ENCRYPTED_EXTENSIONS 1 e2",
                "<<< CERTIFICATE 2 e2",
                "<<< CERTIFICATE_VERIFY 3 e2",
                "<<< FINISHED 4 e2",
                ">>> FINISHED 1 e2",
                "<<< ACK e3 [2]",
                "<<< NEW_SESSION_TICKET 5 e3",
                ">>> ACK e3 [3]",
                ">>> alert 0 e3",
                "<<< alert 0 e3"), lines);
        assertTrue(events.stream().anyMatch(e -> e instanceof MessageTrace.RecordEvent r
                && r.direction() == MessageTrace.Direction.SENT && r.epoch() == 3
                && r.contentType() == ContentType.APPLICATION_DATA.code), "the application record, in epoch 3");
    }
}

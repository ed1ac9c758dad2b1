package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.sip.message.Request;
import org.dtlsip.dtls.record.DropReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Acceptance 6: cleartext SIP sent to the DTLS-UDP port is dropped and counted; the port keeps serving. */
@Timeout(60)
class PlaintextTest {
    @Test
    void plaintextSipIsDroppedAndCounted() throws Exception {
        try (SipPeer alice = new SipPeer("alice"); SipPeer bob = new SipPeer("bob");
                DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String options = "OPTIONS sip:bob@127.0.0.1:" + bob.port() + ";transport=dtls-udp SIP/2.0\r\n"
                    + "Via: SIP/2.0/DTLS-UDP 127.0.0.1:" + attacker.getLocalPort() + ";branch=z9hG4bKplain\r\n"
                    + "From: <sip:eve@127.0.0.1>;tag=1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: plain-1\r\n"
                    + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            byte[] bytes = options.getBytes(StandardCharsets.US_ASCII);
            attacker.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), bob.port()));

            // The listener still serves: a real call goes through afterwards.
            assertEquals(200, alice.awaitFinal(alice.send(alice.request(Request.OPTIONS, bob))).getStatusCode());
            Map<DropReason, Long> drops = bob.processor().droppedDatagrams();
            // Counted under whatever the cookie exchange saw first (a SIP start line is not a
            // DTLS record header, so typically MALFORMED_RECORD).
            assertEquals(1L, drops.values().stream().mapToLong(Long::longValue).sum(), drops.toString());
            assertTrue(bob.requests.stream().noneMatch(e -> "plain-1".equals(
                    ((javax.sip.header.CallIdHeader) e.getRequest().getHeader("Call-ID")).getCallId())));
        }
    }
}

package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Set;
import javax.sip.ListeningPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request that arrived over DTLS is answered over DTLS, whatever its top Via claims
 * (issue 15 review). The RI sends a response over the transport the top Via names (RFC 3261
 * 18.2.2), from the port the request came to: for a request over DTLS whose Via said
 * {@code SIP/2.0/UDP} it found no UDP channel on the DTLS port and threw, so the request went
 * unanswered (no cleartext left: nothing but DTLS listens on that port, even with a UDP
 * listening point on the same provider, as the sample UAS has). The sent-protocol must name the
 * transport the request was sent over (RFC 3261 18.1.1): such a request is answered 400 over its
 * association, saying why, and not delivered.
 */
@Timeout(60)
class ViaTransportDowngradeTest {
    @Test
    void aRequestOverDtlsWhoseViaSaysUdpIsRefusedOverDtlsNeverAnsweredInCleartext() throws Exception {
        try (SipPeer bob = new SipPeer("bob")) {
            int free;
            try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                free = probe.getLocalPort(); // the RI's UDP listening point takes no port 0
            }
            ListeningPoint udp = bob.stack.createListeningPoint("127.0.0.1", free, "UDP");
            bob.provider.addListeningPoint(udp);
            try (RawDtlsSip mallory = new RawDtlsSip(bob.advertised, "mallory")) {
                int me = mallory.localPort();
                mallory.send("OPTIONS sip:bob@127.0.0.1:" + bob.port() + ";transport=dtls-udp SIP/2.0\r\n"
                        + "Via: SIP/2.0/UDP 127.0.0.1:" + me + ";branch=z9hG4bK-down-1;rport\r\nMax-Forwards: 70\r\n"
                        + "To: <sip:bob@127.0.0.1>\r\nFrom: <sip:mallory@127.0.0.1>;tag=m1\r\nCall-ID: downgrade-1\r\n"
                        + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
                String answer = mallory.receiveStarting(Set.of("SIP/2.0 "));
                assertTrue(answer.startsWith("SIP/2.0 400 "), answer);
                assertTrue(answer.contains("UDP") && answer.contains("DTLS"), "says why: " + answer);
                assertEquals(0, bob.requests.size(), "not delivered to the application");
            }
        }
    }

    @Test
    void dtlsInAnyCaseStillAnswersOverTheAssociation() throws Exception {
        try (SipPeer bob = new SipPeer("bob"); RawDtlsSip peer = new RawDtlsSip(bob.advertised, "peer")) {
            int me = peer.localPort();
            peer.send("OPTIONS sip:bob@127.0.0.1:" + bob.port() + ";transport=dtls SIP/2.0\r\n"
                    + "Via: SIP/2.0/dtls 127.0.0.1:" + me + ";branch=z9hG4bK-case-1;rport\r\nMax-Forwards: 70\r\n"
                    + "To: <sip:bob@127.0.0.1>\r\nFrom: <sip:peer@127.0.0.1>;tag=p1\r\nCall-ID: case-1\r\n"
                    + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
            assertTrue(peer.receiveStarting(Set.of("SIP/2.0 ")).startsWith("SIP/2.0 200 "));
        }
    }
}

package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.ClientTransactionExt;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interoperability with stacks that call the transport {@code DTLS} (reSIProcate writes
 * {@code Via: SIP/2.0/DTLS} and {@code ;transport=dtls}): such requests are answered over the
 * association they came on, calls complete both ways, and a response's Vias are its request's,
 * unchanged (RFC 3261 8.2.6.2).
 */
@Timeout(60)
class DtlsTokenInteropTest {
    private static Properties dtlsToken() {
        Properties p = new Properties();
        p.setProperty(DtlsSipProperties.TRANSPORT_TOKEN, "dtls");
        return p;
    }

    @Test
    void callsCompleteBothWaysWithAPeerThatSaysDtls() throws Exception {
        try (SipPeer resip = new SipPeer("resip", dtlsToken()); SipPeer bob = new SipPeer("bob")) {
            // resip calls bob: Via SIP/2.0/DTLS, Request-URI and Contact ;transport=dtls.
            Dialog atResip = resip.call(bob, bob.advertised);
            RequestEvent invite = bob.awaitRequest(Request.INVITE);
            ViaHeader via = (ViaHeader) invite.getRequest().getHeader(ViaHeader.NAME);
            assertEquals("DTLS", via.getTransport(), "what resip wrote on the wire");
            assertEquals("dtls", ((SipURI) invite.getRequest().getRequestURI()).getTransportParam());
            bob.awaitRequest(Request.ACK);

            // bob, the UAS, ends the call: its BYE goes to resip's Contact (transport=dtls) over
            // the association resip opened.
            bob.hangUp(invite.getDialog());
            RequestEvent bye = resip.awaitRequest(Request.BYE);
            assertEquals("DTLS-UDP", ((ViaHeader) bye.getRequest().getHeader(ViaHeader.NAME)).getTransport(),
                    "bob writes its own token");

            // bob calls resip at a transport=dtls URI, and resip hangs up.
            Request toResip = bob.request(Request.INVITE, resip);
            ((SipURI) toResip.getRequestURI()).setTransportParam("dtls");
            Dialog atBob = bob.call(toResip);
            RequestEvent back = resip.awaitRequest(Request.INVITE);
            assertEquals("dtls", ((SipURI) back.getRequest().getRequestURI()).getTransportParam());
            resip.awaitRequest(Request.ACK);
            resip.hangUp(back.getDialog());
            bob.awaitRequest(Request.BYE);

            assertEquals(1, resip.processor().handshakesCompleted(), "one association carried everything");
            assertEquals(1, bob.processor().handshakesCompleted(), "one association carried everything");
            assertTrue(resip.ioExceptions.isEmpty() && bob.ioExceptions.isEmpty(), "no transport errors");
            assertTrue(resip.timeouts.isEmpty() && bob.timeouts.isEmpty(), "no transaction timed out");
            assertEquals(atResip.getCallId().getCallId(),
                    ((javax.sip.header.CallIdHeader) invite.getRequest().getHeader("Call-ID")).getCallId());
            assertEquals(javax.sip.DialogState.TERMINATED, atBob.getState());
        }
    }

    /**
     * A reSIProcate-style INVITE through a proxy (two Vias, the top one saying DTLS): 100, 180,
     * 200 and the 200's retransmissions carry the request's Vias byte for byte, plus only the
     * received and rport values RFC 3261 18.2.1 and RFC 3581 4 have the server add; the UAS's
     * BYE reaches the caller's transport=dtls Contact over the same association.
     */
    @Test
    void responsesKeepTheRequestsViasByteForByte() throws Exception {
        try (SipPeer bob = new SipPeer("bob"); RawDtlsSip resip = new RawDtlsSip(bob.advertised, "resip")) {
            int me = resip.localPort();
            String topVia = "Via: SIP/2.0/DTLS 127.0.0.1:" + me + ";branch=z9hG4bK-resip-1;rport";
            String proxyVia = "Via: SIP/2.0/DTLS 192.0.2.7:5061;branch=z9hG4bK-upstream-1;received=198.51.100.1";
            String sdp = SipPeer.SDP;
            resip.send("INVITE sip:bob@127.0.0.1:" + bob.port() + ";transport=dtls SIP/2.0\r\n"
                    + topVia + "\r\n" + proxyVia + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "Contact: <sip:resip@127.0.0.1:" + me + ";transport=dtls>\r\n"
                    + "To: <sip:bob@127.0.0.1:" + bob.port() + ";transport=dtls>\r\n"
                    + "From: <sip:resip@127.0.0.1;transport=dtls>;tag=resip1\r\n"
                    + "Call-ID: resip-call-1\r\n"
                    + "CSeq: 1 INVITE\r\n"
                    + "Content-Type: application/sdp\r\n"
                    + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp);
            // RFC 3261 7.3.1 lets the RI write both values on one Via row, comma-separated; the
            // values themselves, and their order, are what 8.2.6.2 says must be equal.
            List<String> expected = List.of(
                    "SIP/2.0/DTLS 127.0.0.1:" + me + ";branch=z9hG4bK-resip-1;rport=" + me + ";received=127.0.0.1",
                    proxyVia.substring("Via: ".length()));

            for (String status : List.of("SIP/2.0 100 ", "SIP/2.0 180 ", "SIP/2.0 200 ")) {
                String response = resip.receiveStarting(Set.of(status));
                assertEquals(expected, RawDtlsSip.viaValues(response), status + "\n" + response);
            }
            // Not ACKed yet: the 200 is retransmitted (RFC 3261 13.3.1.4), from the encoding
            // the server transaction kept.
            String again = resip.receiveStarting(Set.of("SIP/2.0 200 "));
            assertEquals(expected, RawDtlsSip.viaValues(again), "retransmitted 200\n" + again);
            String toTag = RawDtlsSip.header(again, "To");
            resip.send("ACK sip:bob@127.0.0.1:" + bob.port() + ";transport=dtls SIP/2.0\r\n"
                    + "Via: SIP/2.0/DTLS 127.0.0.1:" + me + ";branch=z9hG4bK-resip-2;rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "To: " + toTag + "\r\n"
                    + "From: <sip:resip@127.0.0.1;transport=dtls>;tag=resip1\r\n"
                    + "Call-ID: resip-call-1\r\n"
                    + "CSeq: 1 ACK\r\n"
                    + "Content-Length: 0\r\n\r\n");
            RequestEvent invite = bob.awaitRequest(Request.INVITE);
            bob.awaitRequest(Request.ACK);

            CompletableFuture<Void> hangUp = CompletableFuture.runAsync(() -> {
                try {
                    bob.hangUp(invite.getDialog());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String bye = resip.receiveStarting(Set.of("BYE "));
            assertTrue(bye.startsWith("BYE sip:resip@127.0.0.1:" + me + ";transport=dtls SIP/2.0\r\n"), bye);
            List<String> byeVias = RawDtlsSip.viaValues(bye);
            assertEquals(1, byeVias.size(), bye);
            assertTrue(byeVias.get(0).startsWith("SIP/2.0/DTLS-UDP 127.0.0.1:" + bob.port() + ";"), bye);
            resip.send("SIP/2.0 200 OK\r\nVia: " + byeVias.get(0) + "\r\n"
                    + "To: " + RawDtlsSip.header(bye, "To") + "\r\n"
                    + "From: " + RawDtlsSip.header(bye, "From") + "\r\n"
                    + "Call-ID: resip-call-1\r\n"
                    + "CSeq: " + RawDtlsSip.header(bye, "CSeq") + "\r\n"
                    + "Content-Length: 0\r\n\r\n");
            hangUp.get(SipPeer.WAIT_SECONDS, TimeUnit.SECONDS);
            assertEquals(1, bob.processor().handshakesCompleted(), "everything over the association resip opened");
            assertTrue(bob.ioExceptions.isEmpty(), "no transport errors");
        }
    }

    @Test
    void theTokenWeWriteIsConfigurable() throws Exception {
        try (SipPeer resip = new SipPeer("resip", dtlsToken()); SipPeer plain = new SipPeer("plain")) {
            ContactHeader contact = resip.listeningPoint.createContactHeader();
            assertEquals("dtls", ((SipURI) contact.getAddress().getURI()).getTransportParam());
            assertEquals("dtls-udp", ((SipURI) plain.listeningPoint.createContactHeader().getAddress().getURI())
                    .getTransportParam(), "the default, draft-jennings-sip-dtls");
            ClientTransactionExt ct = resip.send(resip.request(Request.OPTIONS, plain));
            Response ok = resip.awaitFinal(ct);
            assertEquals(200, ok.getStatusCode());
            assertEquals("DTLS", ((ViaHeader) ok.getHeader(ViaHeader.NAME)).getTransport());
            assertEquals("DTLS", ((ViaHeader) plain.awaitRequest(Request.OPTIONS).getRequest().getHeader(ViaHeader.NAME))
                    .getTransport());
        }
    }

    @Test
    void anUnknownTokenIsRefusedWithTheChoices() {
        Properties p = new Properties();
        p.setProperty(DtlsSipProperties.TRANSPORT_TOKEN, "DTLS-SCTP");
        Exception e = assertThrows(Exception.class, () -> new SipPeer("bad-token", p).close());
        String all = messages(e);
        assertTrue(all.contains(DtlsSipProperties.TRANSPORT_TOKEN) && all.contains("DTLS-UDP or DTLS")
                && all.contains("DTLS-SCTP"), all);
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" / ");
        }
        return sb.toString();
    }
}

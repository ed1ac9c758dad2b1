package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.SipException;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SIP messages larger than a datagram within the PMTU (RFC 3261 18.1.1): refused by default
 * with the size, the limit and the remedies; with {@link DtlsSipProperties#MAX_MESSAGE_SIZE},
 * sent as one DTLS record in an IP-fragmented datagram, both ways.
 */
@Timeout(60)
class LargeMessageTest {
    /** An SDP offer of about 6 KB: many audio formats, as a large codec list or ICE candidates make. */
    static String sdp6k() {
        StringBuilder sb = new StringBuilder(SipPeer.SDP);
        for (int i = 0; sb.length() < 6_000; i++) {
            sb.append("a=candidate:").append(i).append(" 1 UDP 2130706431 127.0.0.1 ").append(40_000 + i)
                    .append(" typ host generation 0\r\n");
        }
        return sb.toString();
    }

    private static Properties large() {
        Properties p = new Properties();
        p.setProperty(DtlsSipProperties.MAX_MESSAGE_SIZE, "16384");
        return p;
    }

    @Test
    void anInviteWithA6kbSdpGoesBothWaysWhenAllowed() throws Exception {
        String sdp = sdp6k();
        try (SipPeer alice = new SipPeer("alice", large()); SipPeer bob = new SipPeer("bob", large())) {
            assertTrue(sdp.length() > alice.processor().dtlsConfig().pmtu(), "larger than a datagram within the PMTU");
            for (SipPeer[] pair : new SipPeer[][] {{alice, bob}, {bob, alice}}) {
                SipPeer from = pair[0];
                SipPeer to = pair[1];
                Request invite = from.request(Request.INVITE, to);
                invite.setContent(sdp, from.headers.createContentTypeHeader("application", "sdp"));
                to.requests.clear();
                Dialog d = from.call(invite);
                RequestEvent got = to.awaitRequest(Request.INVITE);
                assertEquals(sdp, new String(got.getRequest().getRawContent(), StandardCharsets.UTF_8), "the offer arrived whole");
                from.hangUp(d);
            }
            assertTrue(alice.ioExceptions.isEmpty() && bob.ioExceptions.isEmpty());
            assertEquals(1, alice.processor().associationCount(), "one association carried both calls");
        }
    }

    @Test
    void refusedByDefaultWithTheSizeTheLimitAndTheRemedies() throws Exception {
        try (SipPeer alice = new SipPeer("alice"); SipPeer bob = new SipPeer("bob")) {
            // Before any association: the limit any negotiated suite leaves.
            IOException before = refusal(alice, bob);
            // Once established: the negotiated suite's limit.
            alice.awaitFinal(alice.send(alice.request(Request.OPTIONS, bob)));
            IOException after = refusal(alice, bob);
            for (IOException e : new IOException[] {before, after}) {
                String m = e.getMessage();
                Matcher size = Pattern.compile("SIP message of (\\d+) bytes to 127.0.0.1:" + bob.port()
                        + " is larger than the (\\d+) bytes one DTLS record may carry here \\(PMTU 1400; ").matcher(m);
                assertTrue(size.find(), m);
                assertTrue(Integer.parseInt(size.group(1)) > 6_000 && Integer.parseInt(size.group(2)) < 1400, m);
                assertTrue(m.contains("send it over a congestion-controlled transport such as TLS (RFC 3261 18.1.1)"), m);
                assertTrue(m.contains("raise " + DtlsSipProperties.PMTU), m);
                assertTrue(m.contains("set " + DtlsSipProperties.MAX_MESSAGE_SIZE + " (at most 16384)"), m);
            }
        }
    }

    @Test
    void aboveTheConfiguredSizeStillRefused() throws Exception {
        Properties p = new Properties();
        p.setProperty(DtlsSipProperties.MAX_MESSAGE_SIZE, "4000");
        try (SipPeer alice = new SipPeer("alice", p); SipPeer bob = new SipPeer("bob")) {
            String m = refusal(alice, bob).getMessage();
            assertTrue(m.contains("larger than the 4000 bytes") && m.contains(DtlsSipProperties.MAX_MESSAGE_SIZE + " 4000")
                    && m.contains("or raise " + DtlsSipProperties.MAX_MESSAGE_SIZE), m);
        }
    }

    @Test
    void aMaximumAboveOneRecordIsAConfigurationError() {
        Properties p = new Properties();
        p.setProperty(DtlsSipProperties.MAX_MESSAGE_SIZE, "16385");
        Exception e = assertThrows(Exception.class, () -> new SipPeer("too-big", p).close());
        StringBuilder all = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append(" / ");
        }
        assertTrue(all.toString().contains(DtlsSipProperties.MAX_MESSAGE_SIZE + " must be 0 to 16384 (one DTLS record), got 16385"),
                all.toString());
    }

    private static IOException refusal(SipPeer from, SipPeer to) throws Exception {
        Request invite = from.request(Request.INVITE, to);
        invite.setContent(sdp6k(), from.headers.createContentTypeHeader("application", "sdp"));
        SipException e = assertThrows(SipException.class, () -> from.send(invite));
        assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
        return (IOException) e.getCause();
    }
}

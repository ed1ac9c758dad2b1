package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15 review: SIP that parses badly or lies about itself, sent by an authenticated peer
 * inside its DTLS association (so past every DTLS check): false Content-Length, missing and
 * repeated headers, long lines, control bytes, Max-Forwards 0. Each is dropped or answered
 * (400, 483) without a fault; the association and the listening point go on serving.
 */
@Timeout(60)
class MalformedSipOverDtlsTest {
    private static String options(String callId, String extraHeaders, String body, String contentLength) {
        return "OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/DTLS-UDP 127.0.0.1:5999;branch=z9hG4bK-" + callId + ";rport\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:bob@127.0.0.1>\r\nFrom: <sip:eve@127.0.0.1>;tag=e\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\n" + extraHeaders
                + (contentLength == null ? "" : "Content-Length: " + contentLength + "\r\n") + "\r\n" + body;
    }

    @Test
    void malformedSipInsideTheAssociationCostsNothingLasting() throws Exception {
        try (SipPeer bob = new SipPeer("bob"); RawDtlsSip eve = new RawDtlsSip(bob.advertised, "eve")) {
            List<String> hostile = List.of(
                    options("cl-long", "", "abcd", "100000"),
                    options("cl-negative", "", "abcd", "-1"),
                    options("cl-text", "", "abcd", "four"),
                    options("no-via", "", "", "0").replaceFirst("Via: [^\r]*\r\n", ""),
                    options("no-cseq", "", "", "0").replace("CSeq: 1 OPTIONS\r\n", ""),
                    options("cseq-mismatch", "", "", "0").replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE"),
                    options("many-vias", "Via: SIP/2.0/DTLS-UDP 192.0.2.1:5061;branch=z9hG4bK-x\r\n".repeat(20), "", "0"),
                    options("long-line", "X-Long: " + "a".repeat(1_000) + "\r\n", "", "0"),
                    options("nul", "X-Nul: a\0b\r\n", "", "0"),
                    options("max-forwards-0", "", "", "0").replace("Max-Forwards: 70", "Max-Forwards: 0"),
                    options("no-branch", "", "", "0").replaceFirst(";branch=[^;]*", ""),
                    "SIP/2.0 200 OK\r\nVia: SIP/2.0/DTLS-UDP 127.0.0.1:1;branch=z9hG4bK-nobody\r\n"
                            + "To: <sip:a@b>;tag=1\r\nFrom: <sip:c@d>;tag=2\r\nCall-ID: nobody\r\nCSeq: 1 OPTIONS\r\n\r\n",
                    "\0\1\2\3 not sip at all",
                    "\r\n\r\n");
            for (String m : hostile) {
                eve.send(m);
            }
            // The same association still carries a well-formed request and its answer.
            eve.send(options("fine-1", "", "", "0"));
            // Answers to the hostile ones that deserved one (200, 400, 483) come first; at most one each.
            String answer = null;
            for (int i = 0; i <= hostile.size() && answer == null; i++) {
                String m = eve.receiveStarting(Set.of("SIP/2.0 "));
                if (m.contains("Call-ID: fine-1")) {
                    answer = m;
                }
            }
            assertTrue(answer != null && answer.startsWith("SIP/2.0 200 "), String.valueOf(answer));
            assertEquals(0, bob.processor().faults(), "no unexpected exception");
            assertEquals(1, bob.processor().handshakesCompleted(), "one association throughout");
            List<String> delivered = bob.requests.stream().map(e -> e.getRequest().getHeader("Call-ID").toString().trim()).toList();
            assertTrue(delivered.stream().noneMatch(c -> c.endsWith("no-via") || c.endsWith("no-cseq") || c.contains("cl-")),
                    "requests without Via or CSeq, or with a false Content-Length, never reach the application: " + delivered);
        }
    }
}

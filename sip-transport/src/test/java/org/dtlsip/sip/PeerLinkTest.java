package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PeerLinkTest {
    private static boolean expects(String message) {
        return PeerLink.expectsResponse(message.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void everyRequestButAckExpectsAResponse() {
        assertTrue(expects("INVITE sip:bob@127.0.0.1 SIP/2.0\r\n"));
        assertTrue(expects("OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\n"));
        assertTrue(expects("BYE sip:bob@127.0.0.1 SIP/2.0\r\n"));
        assertTrue(expects("ACKNOWLEDGE sip:bob@127.0.0.1 SIP/2.0\r\n"), "an extension method that only starts with ACK");
        assertFalse(expects("ACK sip:bob@127.0.0.1 SIP/2.0\r\n"));
        assertFalse(expects("SIP/2.0 200 OK\r\n"));
        assertFalse(expects("\r\n\r\n"));
        assertFalse(expects(""));
    }
}

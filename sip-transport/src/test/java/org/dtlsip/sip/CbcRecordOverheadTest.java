package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import javax.sip.SipException;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.record.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The size check before a handshake assumes the worst record overhead the configuration allows
 * (issue 12 item 12): with a CBC suite configured (explicit IV, MAC, padding: RFC 5246 6.2.3.2)
 * a SIP message that would fit an AEAD record but not a CBC one is refused when it is sent, with
 * the limit, instead of being queued and failing after the handshake.
 */
@Timeout(60)
class CbcRecordOverheadTest {
    private static final String CBC = "ECDHE-ECDSA-AES128-SHA256";
    private static final int PMTU = DtlsConfig.DEFAULT_PMTU;
    private static final int AEAD_LIMIT = PMTU - Record.HEADER_LENGTH - CipherSuite.BulkCipher.AES_128_GCM.overhead();
    private static final int CBC_LIMIT = PMTU - Record.HEADER_LENGTH - CipherSuite.BulkCipher.AES_128_CBC_SHA256.overhead();

    private static Properties suites(String list) {
        Properties p = new Properties();
        p.setProperty(DtlsSipProperties.CIPHER_SUITES, list);
        // CBC suites exist only in DTLS 1.2; with 1.3 allowed the peers would agree on a 1.3 suite.
        p.setProperty(DtlsSipProperties.PROTOCOLS, "DTLSv1.2");
        return p;
    }

    @Test
    void worstCaseOverheadIsTheLargestConfiguredSuitesAndTheLongestPeerConnectionId() {
        DtlsConfig aead = DtlsConfig.forClient().build();
        assertEquals(13 + 8 + 16, RecordOverhead.worstCase(aead));
        DtlsConfig mixed = DtlsConfig.forClient().cipherSuites("ECDHE-ECDSA-AES128-GCM-SHA256:" + CBC).build();
        assertEquals(13 + 16 + 32 + 16, RecordOverhead.worstCase(mixed));
        DtlsConfig sha1 = DtlsConfig.forClient().cipherSuites("ECDHE-RSA-AES128-SHA").build();
        assertEquals(13 + 16 + 20 + 16, RecordOverhead.worstCase(sha1));
        // RFC 9146 4: the peer picks the ID we write, up to 255 bytes, plus the inner type byte.
        DtlsConfig cid = DtlsConfig.forClient().connectionIdLength(4).build();
        assertEquals(13 + 8 + 16 + 255 + 1, RecordOverhead.worstCase(cid));
    }

    @Test
    void aMessageBetweenTheAeadAndCbcLimitsIsRefusedBeforeTheHandshake() throws Exception {
        try (SipPeer alice = new SipPeer("alice", suites("ECDHE-ECDSA-AES128-GCM-SHA256:" + CBC));
                SipPeer bob = new SipPeer("bob", suites(CBC))) {
            assertEquals(CBC_LIMIT, alice.processor().getMaximumMessageSize());
            int size = (AEAD_LIMIT + CBC_LIMIT) / 2;
            Request tooBig = message(alice, bob, size);
            SipException e = assertThrows(SipException.class, () -> alice.send(tooBig));
            assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
            String m = e.getCause().getMessage();
            assertTrue(m.contains("is larger than the " + CBC_LIMIT + " bytes one DTLS record may carry here"), m);
            assertEquals(0, alice.processor().associationCount(), "no handshake was started for a message that cannot go");

            // At the limit it goes, over the CBC suite bob insists on.
            Request fits = message(alice, bob, CBC_LIMIT - 8);
            assertEquals(200, alice.awaitFinal(alice.send(fits)).getStatusCode());
            assertEquals(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
                    alice.processor().session(new java.net.InetSocketAddress("127.0.0.1", bob.port())).cipherSuite());
            assertTrue(alice.ioExceptions.isEmpty(), "nothing failed after the handshake");
        }
    }

    /** A MESSAGE to {@code to} whose encoding is {@code size} bytes, give or take a few. */
    private static Request message(SipPeer from, SipPeer to, int size) throws Exception {
        Request r = from.request(Request.MESSAGE, to);
        ((ViaHeader) r.getHeader(ViaHeader.NAME)).setBranch("z9hG4bK" + Long.toHexString(System.nanoTime()));
        r.setContent("", from.headers.createContentTypeHeader("text", "plain"));
        int bare = r.toString().getBytes(StandardCharsets.UTF_8).length;
        int body = size - bare - 4; // Content-Length grows from "0" to four digits
        r.setContent("x".repeat(body), from.headers.createContentTypeHeader("text", "plain"));
        int actual = r.toString().getBytes(StandardCharsets.UTF_8).length;
        assertTrue(Math.abs(actual - size) <= 4, "built " + actual + " bytes for " + size);
        return r;
    }
}

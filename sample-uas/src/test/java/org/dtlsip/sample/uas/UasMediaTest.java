package org.dtlsip.sample.uas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.media.session.MediaOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a caller can make the UAS's media hold or do through its offers: media ports for
 * offers that reuse one Call-ID, more live media sessions than the UAS can serve, and a
 * connection address that is not a peer (none, 0.0.0.0, multicast, a name to look up).
 */
class UasMediaTest {
    private static final String FP = Fingerprint.format(Fingerprint.sha256(SelfSigned.ecdsa("caller", NamedGroup.SECP256R1).leaf()));
    private static final Pattern M_LINE = Pattern.compile("m=audio (\\d+) ");

    private static String offer(String connection) {
        return "v=0\r\no=caller 1 1 IN IP4 127.0.0.1\r\ns=-\r\n" + (connection == null ? "" : "c=IN IP4 " + connection + "\r\n")
                + "t=0 0\r\nm=audio 40000 UDP/TLS/RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\na=fingerprint:sha-256 " + FP
                + "\r\na=setup:actpass\r\na=rtcp-mux\r\n";
    }

    private static int port(String answer) {
        Matcher m = M_LINE.matcher(answer);
        assertTrue(m.find(), answer);
        return Integer.parseInt(m.group(1));
    }

    private static UasMedia media() {
        return new UasMedia(new UasMedia.Settings(MediaOptions.defaults(), null));
    }

    private static boolean free(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aSecondOfferWithTheSameCallIdClosesTheFirstMediaPort() throws Exception {
        UasMedia media = media();
        try {
            int first = port(media.answer("call-1", 1, offer("127.0.0.1"), "127.0.0.1"));
            int second = port(media.answer("call-1", 2, offer("127.0.0.1"), "127.0.0.1"));
            assertNotEquals(first, second);
            assertTrue(free(first), "the replaced call's media port is closed");
            assertTrue(!free(second), "the current one is open");
        } finally {
            media.closeAll();
        }
    }

    @Test
    void liveMediaSessionsAreBoundedAndTheNextOfferIsDeclined() throws Exception {
        UasMedia media = media();
        try {
            for (int i = 0; i < UasMedia.MAX_MEDIA_CALLS; i++) {
                assertNotEquals(0, port(media.answer("call-" + i, i, offer("127.0.0.1"), "127.0.0.1")));
            }
            String declined = media.answer("one-more", 1000, offer("127.0.0.1"), "127.0.0.1");
            assertNotNull(declined);
            assertEquals(0, port(declined), "RFC 3264 6: the stream declined, the call itself goes on");
            media.discard("call-0");
            assertNotEquals(0, port(media.answer("after-one-ended", 1001, offer("127.0.0.1"), "127.0.0.1")));
        } finally {
            media.closeAll();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0.0.0.0", "224.0.0.1", "media.example.invalid", "300.1.1.1"})
    void anOfferWhoseConnectionAddressIsNoUnicastPeerIsRefused(String connection) {
        UasMedia media = media();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> media.answer("c", 1, offer(connection.isEmpty() ? null : connection), "127.0.0.1"));
            assertTrue(e.getMessage().contains("c="), e.getMessage());
        } finally {
            media.closeAll();
        }
    }

    @Test
    void ipv6LiteralsAreAccepted() throws Exception {
        UasMedia media = media();
        try {
            String o = offer("::1").replace("c=IN IP4", "c=IN IP6");
            assertNotEquals(0, port(media.answer("v6", 1, o, "127.0.0.1")));
        } finally {
            media.closeAll();
        }
    }

    /**
     * RFC 8122 5 / RFC 5763 5: a DTLS-SRTP offer whose only fingerprint uses a hash we do not
     * check (sha-1, an unknown name) cannot be keyed; the stream is declined (port 0), not
     * answered as UDP/TLS/RTP/SAVP without a fingerprint of ours.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sha-1 AB:CD:EF", "md5 AB:CD", "whirlpool AB"})
    void aDtlsSrtpOfferWithoutAUsableFingerprintIsDeclined(String fingerprint) throws Exception {
        UasMedia media = media();
        try {
            String o = offer("127.0.0.1").replace("sha-256 " + FP, fingerprint);
            assertEquals(0, port(media.answer("c", 1, o, "127.0.0.1")));
        } finally {
            media.closeAll();
        }
    }
}

package org.dtlsip.media.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The SDP of DTLS-SRTP (RFC 5763 5, RFC 8842), a=setup roles (RFC 4145) and RFC 7983 demultiplexing. */
class SdpMediaTest {
    private static final byte[] FP = new byte[32];

    static {
        Arrays.fill(FP, (byte) 0xAB);
    }

    @Test
    void anOfferRoundTrips() {
        SdpMedia offer = new SdpMedia("127.0.0.1", 40000, SdpMedia.DTLS_SRTP_PROTOCOL, java.util.List.of(0), FP, SetupRole.ACTPASS, true);
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n" + offer.mediaLines();
        assertTrue(sdp.contains("m=audio 40000 UDP/TLS/RTP/SAVP 0\r\n"));
        assertTrue(sdp.contains("a=fingerprint:sha-256 AB:AB:"));
        assertTrue(sdp.contains("a=setup:actpass\r\n"));
        SdpMedia back = SdpMedia.parseAudio(sdp);
        assertEquals("127.0.0.1", back.address());
        assertEquals(40000, back.port());
        assertArrayEquals(FP, back.fingerprint());
        assertEquals(SetupRole.ACTPASS, back.setup());
        assertTrue(back.rtcpMux() && back.dtlsSrtp());
    }

    @Test
    void sessionLevelFingerprintAndAddressApplyToTheMedia() {
        String sdp = "v=0\r\nc=IN IP4 10.0.0.1\r\na=fingerprint:SHA-256 " + org.dtlsip.dtls.crypto.Fingerprint.format(FP)
                + "\r\na=setup:active\r\nm=video 5000 RTP/AVP 96\r\nc=IN IP4 10.9.9.9\r\nm=audio 6000 UDP/TLS/RTP/SAVP 0 8\r\n";
        SdpMedia m = SdpMedia.parseAudio(sdp);
        assertEquals("10.0.0.1", m.address(), "the video's c= line is not the audio's");
        assertEquals(6000, m.port());
        assertEquals(java.util.List.of(0, 8), m.formats());
        assertArrayEquals(FP, m.fingerprint());
        assertEquals(SetupRole.ACTIVE, m.setup());
    }

    @Test
    void plainRtpAndMalformedLines() {
        SdpMedia rtp = SdpMedia.parseAudio("v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 40000 RTP/AVP 0 8\r\n");
        assertFalse(rtp.dtlsSrtp());
        assertNull(SdpMedia.parseAudio("v=0\r\n"));
        assertThrows(IllegalArgumentException.class, () -> SdpMedia.parseAudio("m=audio x RTP/AVP 0\r\n"));
        assertThrows(IllegalArgumentException.class, () -> SdpMedia.parseAudio("m=audio 1 RTP/AVP 0\r\na=fingerprint:sha-256 AB:CD\r\n"));
        assertThrows(IllegalArgumentException.class, () -> SdpMedia.parseAudio("m=audio 1 RTP/AVP 0\r\na=setup:sometimes\r\n"));
    }

    @Test
    void setupRolesFollowRfc5763() {
        assertEquals(SetupRole.ACTIVE, SetupRole.ACTPASS.answer(), "the answerer takes active");
        assertEquals(SetupRole.PASSIVE, SetupRole.ACTIVE.answer());
        assertTrue(SetupRole.ACTIVE.dtlsClient());
        assertFalse(SetupRole.PASSIVE.dtlsClient());
        assertThrows(IllegalArgumentException.class, SetupRole.HOLDCONN::answer);
        assertThrows(IllegalStateException.class, SetupRole.ACTPASS::dtlsClient);
    }

    @Test
    void firstByteDemultiplexingFollowsRfc7983() {
        assertEquals(PacketKind.STUN, PacketKind.of(0));
        assertEquals(PacketKind.ZRTP, PacketKind.of(16));
        assertEquals(PacketKind.DTLS, PacketKind.of(20));
        assertEquals(PacketKind.DTLS, PacketKind.of(23));
        assertEquals(PacketKind.DTLS, PacketKind.of(63));
        assertEquals(PacketKind.TURN_CHANNEL, PacketKind.of(64));
        assertEquals(PacketKind.UNKNOWN, PacketKind.of(100));
        assertEquals(PacketKind.RTP_OR_RTCP, PacketKind.of(0x80));
        assertEquals(PacketKind.RTP_OR_RTCP, PacketKind.of(191));
        assertEquals(PacketKind.UNKNOWN, PacketKind.of(192));
        assertEquals(PacketKind.UNKNOWN, PacketKind.of(255));
    }

    /** RFC 8122 5: only a hash function we can check counts; sha-1 alone is not DTLS-SRTP media for us. */
    @org.junit.jupiter.api.Test
    void fingerprintsOfOtherHashFunctionsAreIgnored() {
        String fp = org.dtlsip.dtls.crypto.Fingerprint.format(new byte[32]);
        String base = "v=0\r\nc=IN IP4 127.0.0.1\r\nm=audio 4000 UDP/TLS/RTP/SAVP 0\r\n";
        SdpMedia sha1Only = SdpMedia.parseAudio(base + "a=fingerprint:sha-1 AB:CD\r\n");
        org.junit.jupiter.api.Assertions.assertFalse(sha1Only.dtlsSrtp());
        SdpMedia unknown = SdpMedia.parseAudio(base + "a=fingerprint:whirlpool " + fp + "\r\n");
        org.junit.jupiter.api.Assertions.assertFalse(unknown.dtlsSrtp());
        SdpMedia both = SdpMedia.parseAudio(base + "a=fingerprint:sha-512 AB:CD\r\na=fingerprint:SHA-256 " + fp + "\r\n");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[32], both.fingerprint());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SdpMedia.parseAudio(base + "a=fingerprint:sha-256 AB:CD\r\n"), "a sha-256 fingerprint of the wrong length");
    }
}

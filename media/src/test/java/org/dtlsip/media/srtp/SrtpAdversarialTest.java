package org.dtlsip.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.media.rtp.RtcpPacket;
import org.dtlsip.media.rtp.RtpPacket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What an attacker (or a careless caller) tries against SRTP: a packet index used twice by
 * the sender (keystream reuse; with GCM, nonce reuse), a forged sequence number that would
 * move the ROC, the SRTCP E flag flipped, the replay window's exact edge.
 */
class SrtpAdversarialTest {
    private static final long SSRC = 0x0BADF00DL;

    private static byte[] key(SrtpProfile p) {
        byte[] k = new byte[p.keyLength];
        Arrays.fill(k, (byte) 3);
        return k;
    }

    private static byte[] salt(SrtpProfile p) {
        byte[] s = new byte[p.saltLength];
        Arrays.fill(s, (byte) 4);
        return s;
    }

    private static byte[] rtp(int seq, int fill) {
        byte[] payload = new byte[160];
        Arrays.fill(payload, (byte) fill);
        return new RtpPacket(false, 0, seq, 0, SSRC, payload).encode();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void theSenderRefusesToProtectTwoPacketsUnderOneIndex(SrtpProfile p) {
        // RFC 3711 9.1 / RFC 7714 8.1: (SSRC, index) is the IV; used twice it is a two-time pad,
        // and with GCM it also gives away the authentication key.
        SrtpSender tx = new SrtpSender(p, key(p), salt(p));
        tx.protectRtp(rtp(100, 1));
        tx.protectRtp(rtp(101, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tx.protectRtp(rtp(100, 2)));
        assertTrue(e.getMessage().contains("index"), e.getMessage());
        tx.protectRtp(rtp(102, 1)); // the stream goes on
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aForgedSequenceNumberPastTheWrapMovesNeitherRocNorWindow(SrtpProfile p) throws Exception {
        SrtpSender tx = new SrtpSender(p, key(p), salt(p));
        SrtpReceiver rx = new SrtpReceiver(p, key(p), salt(p));
        rx.unprotectRtp(tx.protectRtp(rtp(0xFFF0, 1)));
        byte[] forged = tx.protectRtp(rtp(0xFFF1, 1));
        forged[2] = 0;
        forged[3] = 5; // seq 5: would be ROC 1
        assertEquals(SrtpException.Reason.AUTHENTICATION_FAILED,
                assertThrows(SrtpException.class, () -> rx.unprotectRtp(forged)).reason());
        assertEquals(0, rx.rolloverCounter(SSRC));
        byte[] genuine = rtp(0xFFF2, 1);
        assertArrayEquals(genuine, rx.unprotectRtp(tx.protectRtp(genuine)));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void theReplayWindowHoldsExactly64Behind(SrtpProfile p) throws Exception {
        SrtpSender tx = new SrtpSender(p, key(p), salt(p));
        SrtpReceiver rx = new SrtpReceiver(p, key(p), salt(p));
        byte[][] s = new byte[200][];
        for (int i = 0; i < s.length; i++) {
            s[i] = tx.protectRtp(rtp(65500 + i & 0xFFFF, 1)); // across the wrap
        }
        rx.unprotectRtp(s[0]); // ROC 0, so that the receiver follows the wrap
        rx.unprotectRtp(s[199]);
        rx.unprotectRtp(s[199 - 63]);
        assertEquals(SrtpException.Reason.TOO_OLD, assertThrows(SrtpException.class, () -> rx.unprotectRtp(s[199 - 64])).reason());
        assertEquals(SrtpException.Reason.REPLAYED, assertThrows(SrtpException.class, () -> rx.unprotectRtp(s[199 - 63])).reason());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aClearedOrForgedSrtcpEFlagOrIndexDoesNotAuthenticate(SrtpProfile p) throws Exception {
        SrtpSender tx = new SrtpSender(p, key(p), salt(p));
        SrtpReceiver rx = new SrtpReceiver(p, key(p), salt(p));
        byte[] rr = new RtcpPacket.ReceiverReport(SSRC, List.of()).encode();
        byte[] srtcp = tx.protectRtcp(rr);
        int word = p.name().contains("GCM") ? srtcp.length - 4 : srtcp.length - 14;
        byte[] noE = srtcp.clone();
        noE[word] &= 0x7F;
        assertThrows(SrtpException.class, () -> rx.unprotectRtcp(noE));
        byte[] otherIndex = srtcp.clone();
        otherIndex[word + 3] ^= 0x40;
        assertEquals(SrtpException.Reason.AUTHENTICATION_FAILED,
                assertThrows(SrtpException.class, () -> rx.unprotectRtcp(otherIndex)).reason());
        assertArrayEquals(rr, rx.unprotectRtcp(srtcp), "the forgeries left the index unused");
    }
}

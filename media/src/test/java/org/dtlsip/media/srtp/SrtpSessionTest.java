package org.dtlsip.media.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.media.rtp.ReportBlock;
import org.dtlsip.media.rtp.RtcpPacket;
import org.dtlsip.media.rtp.RtpPacket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SRTP and SRTCP between a sender and a receiver sharing a master key, for every profile:
 * round trip, tampering, replay, the replay window's edge, ROC across sequence-number wrap, a
 * wrong key, and the bound on remote SSRCs.
 */
class SrtpSessionTest {
    private static final long SSRC = 0xCAFEBABEL;

    private static byte[] key(SrtpProfile p, int seed) {
        byte[] k = new byte[p.keyLength];
        Arrays.fill(k, (byte) seed);
        return k;
    }

    private static byte[] salt(SrtpProfile p, int seed) {
        byte[] s = new byte[p.saltLength];
        Arrays.fill(s, (byte) (seed + 1));
        return s;
    }

    private static SrtpSender sender(SrtpProfile p) {
        return new SrtpSender(p, key(p, 7), salt(p, 7));
    }

    private static SrtpReceiver receiver(SrtpProfile p) {
        return new SrtpReceiver(p, key(p, 7), salt(p, 7));
    }

    private static byte[] rtp(int seq) {
        byte[] payload = new byte[160];
        Arrays.fill(payload, (byte) seq);
        return new RtpPacket(false, 0, seq & 0xFFFF, 160L * seq & 0xFFFF_FFFFL, SSRC, payload).encode();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void roundTripEncryptsPayloadAndAddsTheProfilesTag(SrtpProfile p) throws Exception {
        SrtpSender tx = sender(p);
        SrtpReceiver rx = receiver(p);
        byte[] plain = rtp(1000);
        byte[] srtp = tx.protectRtp(plain);
        assertEquals(plain.length + tx.rtpOverhead(), srtp.length);
        assertEquals(p.name().contains("GCM") ? 16 : p.name().endsWith("_32") ? 4 : 10, tx.rtpOverhead());
        assertArrayEquals(Arrays.copyOf(plain, 12), Arrays.copyOf(srtp, 12), "the header stays in the clear");
        assertFalse(Arrays.equals(Arrays.copyOfRange(plain, 12, plain.length), Arrays.copyOfRange(srtp, 12, plain.length)),
                "the payload is encrypted");
        assertArrayEquals(plain, rx.unprotectRtp(srtp));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void anyFlippedBitFailsAuthenticationAndLeavesTheStreamUsable(SrtpProfile p) throws Exception {
        SrtpSender tx = sender(p);
        SrtpReceiver rx = receiver(p);
        byte[] srtp = tx.protectRtp(rtp(5));
        for (int bit : new int[] {8 * 1 + 3, 8 * 20, 8 * (srtp.length - 1)}) {
            byte[] bad = srtp.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            SrtpException e = assertThrows(SrtpException.class, () -> rx.unprotectRtp(bad));
            assertEquals(SrtpException.Reason.AUTHENTICATION_FAILED, e.reason());
        }
        assertArrayEquals(rtp(5), rx.unprotectRtp(srtp), "forgeries did not mark the index as seen");
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aReplayedPacketIsRefusedAndReorderedOnesWithinTheWindowAreNot(SrtpProfile p) throws Exception {
        SrtpSender tx = sender(p);
        SrtpReceiver rx = receiver(p);
        byte[][] packets = new byte[100][];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = tx.protectRtp(rtp(i));
        }
        rx.unprotectRtp(packets[99]);
        assertArrayEquals(rtp(40), rx.unprotectRtp(packets[40]), "59 behind: inside the 64-packet window");
        assertEquals(SrtpException.Reason.REPLAYED, assertThrows(SrtpException.class, () -> rx.unprotectRtp(packets[40])).reason());
        assertEquals(SrtpException.Reason.REPLAYED, assertThrows(SrtpException.class, () -> rx.unprotectRtp(packets[99])).reason());
        assertEquals(SrtpException.Reason.TOO_OLD, assertThrows(SrtpException.class, () -> rx.unprotectRtp(packets[35])).reason());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rocAdvancesWhenTheSequenceNumberWrapsEvenWithReorderingAcrossTheWrap(SrtpProfile p) throws Exception {
        SrtpSender tx = sender(p);
        SrtpReceiver rx = receiver(p);
        int[] seqs = {65533, 65534, 65535, 0, 1, 2};
        byte[][] srtp = new byte[seqs.length][];
        for (int i = 0; i < seqs.length; i++) {
            srtp[i] = tx.protectRtp(rtp(seqs[i]));
        }
        rx.unprotectRtp(srtp[0]);
        rx.unprotectRtp(srtp[3]); // 0 of the next cycle arrives before 65534 and 65535
        assertEquals(1, rx.rolloverCounter(SSRC));
        assertArrayEquals(rtp(65535), rx.unprotectRtp(srtp[2]), "65535 is still of ROC 0");
        assertArrayEquals(rtp(65534), rx.unprotectRtp(srtp[1]));
        assertArrayEquals(rtp(1), rx.unprotectRtp(srtp[4]));
        assertArrayEquals(rtp(2), rx.unprotectRtp(srtp[5]));
        assertEquals(1, rx.rolloverCounter(SSRC));
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aPacketAfterTheWrapWithTheWrongRocDoesNotAuthenticate(SrtpProfile p) throws Exception {
        // The receiver must put the ROC into the tag (or GCM IV): a packet of ROC 1 presented
        // to a receiver that never saw the wrap is read as ROC 0 and refused, not decrypted wrongly.
        SrtpSender tx = sender(p);
        for (int seq = 0; seq <= 65535; seq += 1000) {
            tx.protectRtp(rtp(seq));
        }
        tx.protectRtp(rtp(65535));
        byte[] afterWrap = tx.protectRtp(rtp(10));
        SrtpReceiver fresh = receiver(p);
        assertEquals(SrtpException.Reason.AUTHENTICATION_FAILED,
                assertThrows(SrtpException.class, () -> fresh.unprotectRtp(afterWrap)).reason());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void anotherMasterKeyCannotReadOrForge(SrtpProfile p) {
        byte[] srtp = sender(p).protectRtp(rtp(1));
        SrtpReceiver other = new SrtpReceiver(p, key(p, 9), salt(p, 9));
        assertEquals(SrtpException.Reason.AUTHENTICATION_FAILED, assertThrows(SrtpException.class, () -> other.unprotectRtp(srtp)).reason());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void srtcpRoundTripsAndRefusesReplayAndTampering(SrtpProfile p) throws Exception {
        SrtpSender tx = sender(p);
        SrtpReceiver rx = receiver(p);
        byte[] sr = new RtcpPacket.SenderReport(SSRC, 0x1234_5678_9ABC_DEF0L, 8000, 50, 8000,
                List.of(new ReportBlock(0x1111, 3, 2, 70000, 12, 0, 0))).encode();
        byte[] first = tx.protectRtcp(sr);
        byte[] second = tx.protectRtcp(sr);
        assertFalse(Arrays.equals(first, second), "each SRTCP packet has its own index");
        assertArrayEquals(sr, rx.unprotectRtcp(second));
        assertArrayEquals(sr, rx.unprotectRtcp(first));
        assertEquals(SrtpException.Reason.REPLAYED, assertThrows(SrtpException.class, () -> rx.unprotectRtcp(first)).reason());
        byte[] bad = tx.protectRtcp(sr);
        bad[10] ^= 1;
        assertEquals(SrtpException.Reason.AUTHENTICATION_FAILED, assertThrows(SrtpException.class, () -> rx.unprotectRtcp(bad)).reason());
        assertEquals(sr.length + (p.name().contains("GCM") ? 20 : 14), first.length, "index word and the SRTCP tag");
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void truncatedPacketsAreMalformedNotExceptions(SrtpProfile p) {
        SrtpReceiver rx = receiver(p);
        byte[] srtp = sender(p).protectRtp(rtp(1));
        for (int len : new int[] {0, 1, 11, 12, 13}) {
            SrtpException e = assertThrows(SrtpException.class, () -> rx.unprotectRtp(srtp, 0, len));
            assertFalse(e.reason() == SrtpException.Reason.REPLAYED);
            assertThrows(SrtpException.class, () -> rx.unprotectRtcp(srtp, 0, len));
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void remoteSsrcsAreBoundedAndOnlyAuthenticatedOnesCount(SrtpProfile p) throws Exception {
        SrtpSender tx = sender(p);
        SrtpReceiver rx = receiver(p);
        for (int i = 0; i < 100; i++) {
            byte[] forged = new RtpPacket(false, 0, 1, 0, 0x1000 + i, new byte[20]).encode();
            byte[] junk = Arrays.copyOf(forged, forged.length + 16);
            assertEquals(SrtpException.Reason.AUTHENTICATION_FAILED, assertThrows(SrtpException.class, () -> rx.unprotectRtp(junk)).reason());
        }
        for (int i = 0; i < SrtpReceiver.MAX_STREAMS; i++) {
            rx.unprotectRtp(tx.protectRtp(new RtpPacket(false, 0, 1, 0, 0x2000 + i, new byte[20]).encode()));
        }
        byte[] oneMore = sender(p).protectRtp(new RtpPacket(false, 0, 1, 0, 0x3000, new byte[20]).encode());
        assertEquals(SrtpException.Reason.TOO_MANY_STREAMS, assertThrows(SrtpException.class, () -> rx.unprotectRtp(oneMore)).reason());
    }
}

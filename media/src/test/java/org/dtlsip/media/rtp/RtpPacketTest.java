package org.dtlsip.media.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3550 5.1 data packets and 6.4 reports: encode, decode, CSRC/extension/padding, malformed input. */
class RtpPacketTest {
    @Test
    void fixedHeaderRoundTrips() {
        RtpPacket p = new RtpPacket(true, 0, 0xF17B, 0x8041F8D3L, 0x5501A0B2L, new byte[] {1, 2, 3});
        byte[] wire = p.encode();
        assertEquals("80" + "80" + "f17b" + "8041f8d3" + "5501a0b2" + "010203", HexFormat.of().formatHex(wire));
        assertEquals(p, RtpPacket.decode(wire));
        assertEquals(12, RtpPacket.headerLength(wire, 0, wire.length));
    }

    @Test
    void csrcsExtensionAndPaddingAreSkipped() {
        // V=2 P=1 X=1 CC=1, one CSRC, a one-word extension, payload AB CD, 2 octets of padding.
        byte[] wire = HexFormat.of().parseHex("b1" + "00" + "0001" + "00000002" + "00000003" + "00000004"
                + "bede0001" + "11223344" + "abcd" + "0002");
        assertEquals(24, RtpPacket.headerLength(wire, 0, wire.length));
        assertArrayEquals(new byte[] {(byte) 0xAB, (byte) 0xCD}, RtpPacket.decode(wire).payload());
    }

    @Test
    void malformedPacketsAreRefused() {
        assertEquals(-1, RtpPacket.headerLength(new byte[11], 0, 11));
        byte[] v1 = new RtpPacket(false, 0, 1, 1, 1, new byte[0]).encode();
        v1[0] = 0x40;
        assertThrows(IllegalArgumentException.class, () -> RtpPacket.decode(v1));
        byte[] csrcsMissing = new RtpPacket(false, 0, 1, 1, 1, new byte[0]).encode();
        csrcsMissing[0] = (byte) 0x8F;
        assertEquals(-1, RtpPacket.headerLength(csrcsMissing, 0, csrcsMissing.length));
        byte[] badPadding = new RtpPacket(false, 0, 1, 1, 1, new byte[] {9}).encode();
        badPadding[0] |= 0x20;
        assertThrows(IllegalArgumentException.class, () -> RtpPacket.decode(badPadding));
    }

    @Test
    void reportsRoundTripInACompoundPacket() {
        ReportBlock block = new ReportBlock(0xABCDL, 25, -3, 0x1_0005L, 40, 0x1234_5678L, 655);
        RtcpPacket sr = new RtcpPacket.SenderReport(0x1111L, 0xDEAD_BEEF_0000_0001L, 123, 50, 8000, List.of(block));
        RtcpPacket rr = new RtcpPacket.ReceiverReport(0x2222L, List.of(block));
        byte[] sdes = HexFormat.of().parseHex("81ca0002" + "00001111" + "00000000");
        byte[] a = sr.encode();
        byte[] b = rr.encode();
        byte[] compound = new byte[a.length + sdes.length + b.length];
        System.arraycopy(a, 0, compound, 0, a.length);
        System.arraycopy(sdes, 0, compound, a.length, sdes.length);
        System.arraycopy(b, 0, compound, a.length + sdes.length, b.length);
        assertEquals(List.of(sr, rr), RtcpPacket.decodeCompound(compound));
        assertEquals(true, RtcpPacket.isRtcp(a, 0, a.length));
        assertEquals(false, RtcpPacket.isRtcp(new RtpPacket(true, 0, 1, 1, 1, new byte[0]).encode(), 0, 12));
        byte[] overrun = a.clone();
        overrun[3] = (byte) 0x40;
        assertThrows(IllegalArgumentException.class, () -> RtcpPacket.decodeCompound(overrun));
    }

    @Test
    void receptionStatsCountLossLatenessAndWrap() {
        ReceptionStats s = new ReceptionStats(8000);
        long t = 0;
        int[] order = {65530, 65531, 65533, 65532, 65534, 65535, 0, 3};
        for (int seq : order) {
            s.received(seq, 160L * (seq < 100 ? seq + 65536 : seq), t += 20_000_000L);
        }
        assertEquals(8, s.received());
        assertEquals(65536 + 3 - 65530 + 1, s.expected());
        assertEquals(2, s.lost(), "1 and 2 never came");
        assertEquals(1, s.late(), "65532 came after 65533");
        assertEquals(0x1_0003L, s.extendedHighestSequence());
        ReportBlock b = s.reportBlock(1);
        assertEquals(2, b.cumulativeLost());
        assertEquals(2 * 256 / 10, b.fractionLost());
    }

    /** RFC 3550 5.1, 5.3.1: an extension whose length runs past the end, padding of 0 or the whole packet. */
    @Test
    void extensionPastTheEndAndPaddingOfZeroOrMoreThanThePayloadAreRefused() {
        byte[] ext = new RtpPacket(false, 0, 1, 1, 1, new byte[8]).encode();
        ext[0] |= 0x10; // X: the 4-byte extension header is the payload's first 4 bytes
        ext[14] = 0;
        ext[15] = 1; // one word: exactly to the end, still a header
        assertEquals(20, RtpPacket.headerLength(ext, 0, ext.length));
        ext[15] = 2; // two words: past the end
        assertEquals(-1, RtpPacket.headerLength(ext, 0, ext.length));
        ext[14] = (byte) 0xFF;
        ext[15] = (byte) 0xFF;
        assertEquals(-1, RtpPacket.headerLength(ext, 0, ext.length));
        byte[] zero = new RtpPacket(false, 0, 1, 1, 1, new byte[] {1, 2, 0}).encode();
        zero[0] |= 0x20;
        assertThrows(IllegalArgumentException.class, () -> RtpPacket.decode(zero));
        byte[] whole = new RtpPacket(false, 0, 1, 1, 1, new byte[] {1, 2, 3}).encode();
        whole[0] |= 0x20;
        assertEquals(3, RtpPacket.decode(whole).payloadLength() + 3, "padding of exactly the payload leaves none");
        whole[whole.length - 1] = 4;
        assertThrows(IllegalArgumentException.class, () -> RtpPacket.decode(whole));
    }
}

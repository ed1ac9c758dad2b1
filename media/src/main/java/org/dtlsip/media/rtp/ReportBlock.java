package org.dtlsip.media.rtp;

/**
 * One reception report block of an SR or RR (RFC 3550 6.4.1).
 *
 * @param ssrc the source this block reports on
 * @param fractionLost lost since the previous report, in 1/256 (8 bits)
 * @param cumulativeLost total lost, 24-bit signed (duplicates can make it negative)
 * @param extendedHighestSequence cycles (16 bits) and highest sequence number received
 * @param jitter interarrival jitter in timestamp units (RFC 3550 A.8)
 * @param lastSenderReport middle 32 bits of the NTP timestamp of the last SR received, 0 if none
 * @param delaySinceLastSenderReport in 1/65536 s since that SR, 0 if none
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence, long jitter,
        long lastSenderReport, long delaySinceLastSenderReport) {
    public static final int LENGTH = 24;
    /** The most and least a 24-bit signed cumulative loss can say (RFC 3550 6.4.1). */
    public static final int MAX_CUMULATIVE_LOST = 0x7FFFFF;
    public static final int MIN_CUMULATIVE_LOST = -0x800000;

    public ReportBlock {
        fractionLost = Math.max(0, Math.min(255, fractionLost));
        cumulativeLost = Math.max(MIN_CUMULATIVE_LOST, Math.min(MAX_CUMULATIVE_LOST, cumulativeLost));
    }

    void encode(byte[] out, int at) {
        RtpPacket.putInt(out, at, ssrc);
        RtpPacket.putInt(out, at + 4, ((long) fractionLost << 24) | (cumulativeLost & 0xFFFFFFL));
        RtpPacket.putInt(out, at + 8, extendedHighestSequence);
        RtpPacket.putInt(out, at + 12, jitter);
        RtpPacket.putInt(out, at + 16, lastSenderReport);
        RtpPacket.putInt(out, at + 20, delaySinceLastSenderReport);
    }

    static ReportBlock decode(byte[] in, int at) {
        long word = RtpPacket.getInt(in, at + 4);
        int lost = (int) (word & 0xFFFFFF);
        if ((lost & 0x800000) != 0) {
            lost |= 0xFF000000; // sign-extend the 24-bit field
        }
        return new ReportBlock(RtpPacket.getInt(in, at), (int) (word >>> 24), lost, RtpPacket.getInt(in, at + 8),
                RtpPacket.getInt(in, at + 12), RtpPacket.getInt(in, at + 16), RtpPacket.getInt(in, at + 20));
    }
}

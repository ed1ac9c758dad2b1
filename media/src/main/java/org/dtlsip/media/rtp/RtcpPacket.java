package org.dtlsip.media.rtp;

import java.util.ArrayList;
import java.util.List;

/**
 * The RTCP reports a call needs (RFC 3550 6.4): sender report (PT 200) and receiver report
 * (PT 201). {@link #decodeCompound} reads those out of a compound packet and skips the other
 * types (SDES, BYE, APP, feedback) by their length.
 */
public sealed interface RtcpPacket permits RtcpPacket.SenderReport, RtcpPacket.ReceiverReport {
    int SR = 200;
    int RR = 201;
    /** Common header (4) + sender SSRC (4): what SRTCP leaves in the clear (RFC 3711 3.4). */
    int HEADER_AND_SSRC_LENGTH = 8;
    /** RFC 3550 6.4.1: the report count is 5 bits. */
    int MAX_REPORT_BLOCKS = 31;

    long ssrc();

    List<ReportBlock> reports();

    byte[] encode();

    /**
     * RFC 3550 6.4.1.
     *
     * @param ntpTimestamp 64-bit NTP time the report was sent
     * @param rtpTimestamp the same instant in the RTP clock
     */
    record SenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount,
            List<ReportBlock> reports) implements RtcpPacket {
        public SenderReport {
            reports = checked(reports);
        }

        @Override
        public byte[] encode() {
            byte[] out = header(SR, reports.size(), 28 + ReportBlock.LENGTH * reports.size(), ssrc);
            RtpPacket.putInt(out, 8, ntpTimestamp >>> 32);
            RtpPacket.putInt(out, 12, ntpTimestamp & 0xFFFF_FFFFL);
            RtpPacket.putInt(out, 16, rtpTimestamp);
            RtpPacket.putInt(out, 20, packetCount);
            RtpPacket.putInt(out, 24, octetCount);
            for (int i = 0; i < reports.size(); i++) {
                reports.get(i).encode(out, 28 + i * ReportBlock.LENGTH);
            }
            return out;
        }
    }

    /** RFC 3550 6.4.2. */
    record ReceiverReport(long ssrc, List<ReportBlock> reports) implements RtcpPacket {
        public ReceiverReport {
            reports = checked(reports);
        }

        @Override
        public byte[] encode() {
            byte[] out = header(RR, reports.size(), 8 + ReportBlock.LENGTH * reports.size(), ssrc);
            for (int i = 0; i < reports.size(); i++) {
                reports.get(i).encode(out, 8 + i * ReportBlock.LENGTH);
            }
            return out;
        }
    }

    private static List<ReportBlock> checked(List<ReportBlock> reports) {
        if (reports.size() > MAX_REPORT_BLOCKS) {
            throw new IllegalArgumentException(reports.size() + " report blocks; RFC 3550 allows " + MAX_REPORT_BLOCKS);
        }
        return List.copyOf(reports);
    }

    private static byte[] header(int type, int count, int length, long ssrc) {
        byte[] out = new byte[length];
        out[0] = (byte) ((RtpPacket.VERSION << 6) | count);
        out[1] = (byte) type;
        int words = length / 4 - 1; // RFC 3550 6.4.1: length in 32-bit words minus one
        out[2] = (byte) (words >>> 8);
        out[3] = (byte) words;
        RtpPacket.putInt(out, 4, ssrc);
        return out;
    }

    /**
     * The SRs and RRs of a compound RTCP packet (RFC 3550 6.1), in order.
     *
     * @throws IllegalArgumentException if a header is not version 2 or a length overruns the packet
     */
    static List<RtcpPacket> decodeCompound(byte[] in, int offset, int length) {
        List<RtcpPacket> out = new ArrayList<>();
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (end - at < 4 || (in[at] & 0xC0) >>> 6 != RtpPacket.VERSION) {
                throw new IllegalArgumentException("malformed RTCP header at byte " + (at - offset));
            }
            int count = in[at] & 0x1F;
            int type = in[at + 1] & 0xFF;
            int bytes = 4 * ((((in[at + 2] & 0xFF) << 8) | (in[at + 3] & 0xFF)) + 1);
            if (bytes > end - at) {
                throw new IllegalArgumentException("RTCP packet of " + bytes + " bytes overruns the " + (end - at) + " left");
            }
            if (type == SR || type == RR) {
                int blocksAt = type == SR ? 28 : 8;
                if (bytes < blocksAt + count * ReportBlock.LENGTH) {
                    throw new IllegalArgumentException("RTCP " + (type == SR ? "SR" : "RR") + " too short for " + count
                            + " report blocks");
                }
                List<ReportBlock> blocks = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    blocks.add(ReportBlock.decode(in, at + blocksAt + i * ReportBlock.LENGTH));
                }
                long ssrc = RtpPacket.getInt(in, at + 4);
                out.add(type == SR
                        ? new SenderReport(ssrc, (RtpPacket.getInt(in, at + 8) << 32) | RtpPacket.getInt(in, at + 12),
                                RtpPacket.getInt(in, at + 16), RtpPacket.getInt(in, at + 20), RtpPacket.getInt(in, at + 24), blocks)
                        : new ReceiverReport(ssrc, blocks));
            }
            at += bytes;
        }
        return out;
    }

    static List<RtcpPacket> decodeCompound(byte[] in) {
        return decodeCompound(in, 0, in.length);
    }

    /**
     * RFC 5761 4 / RFC 5764 5.1.2: with rtcp-mux, RTCP is told from RTP by the second byte:
     * RTCP packet types 192-223 (masking the RTP marker bit would give payload types 64-95,
     * which RTP must not use when multiplexed).
     */
    static boolean isRtcp(byte[] packet, int offset, int length) {
        if (length < 2) {
            return false;
        }
        int type = packet[offset + 1] & 0xFF;
        return type >= 192 && type <= 223;
    }
}

package org.dtlsip.media.srtp;

import java.util.HashMap;
import java.util.Map;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.media.rtp.RtcpPacket;
import org.dtlsip.media.rtp.RtpPacket;

/**
 * Protects what we send under our write master key: per SSRC, the packet indices used (the
 * highest, so the ROC advances when the sequence number wraps, RFC 3711 3.3.1, and a window
 * below it) and the SRTCP index (3.4). An index is never used twice: (SSRC, index) is the
 * cipher's IV, so reuse would be a two-time pad (RFC 3711 9.1) and, with GCM, a repeated
 * nonce that gives away the authentication key (RFC 7714 8.1). Thread-safe.
 */
public final class SrtpSender {
    /** Local sources one sender tracks; a call has one. */
    public static final int MAX_STREAMS = 16;

    private final SrtpTransform transform;
    private final Map<Long, SrtpReplayWindow> used = new HashMap<>();
    private final Map<Long, long[]> srtcpIndex = new HashMap<>();

    public SrtpSender(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this.transform = SrtpTransform.create(profile, masterKey, masterSalt);
    }

    /**
     * @throws IllegalArgumentException if {@code rtp} is not an RTP packet, if its sequence
     *     number gives an index this source already used (or one too old to tell), or the ROC of
     *     its source would pass 2^32 (RFC 3711 9.2: rekey first)
     */
    public synchronized byte[] protectRtp(byte[] rtp) {
        int header = RtpPacket.headerLength(rtp, 0, rtp.length);
        if (header < 0) {
            throw new IllegalArgumentException("not an RTP packet (" + rtp.length + " bytes)");
        }
        long ssrc = RtpPacket.ssrc(rtp, 0);
        SrtpReplayWindow window = used.get(ssrc);
        if (window == null) {
            if (used.size() >= MAX_STREAMS) {
                throw new IllegalArgumentException("more than " + MAX_STREAMS + " local SSRCs");
            }
            window = new SrtpReplayWindow();
            used.put(ssrc, window);
        }
        long index = PacketIndex.estimate(window.highest(), RtpPacket.sequenceNumber(rtp, 0));
        if (index < 0) {
            throw new IllegalArgumentException("SRTP index space of SSRC 0x" + Long.toHexString(ssrc)
                    + " exhausted; a new master key is needed (RFC 3711 9.2)");
        }
        try {
            window.check(index);
        } catch (SrtpException e) {
            throw new IllegalArgumentException("SRTP packet index " + index + " of SSRC 0x" + Long.toHexString(ssrc)
                    + " already used or too old to tell: a repeated IV (RFC 3711 9.1, RFC 7714 8.1); send a new sequence number", e);
        }
        window.accept(index);
        return transform.protectRtp(rtp, header, ssrc, index);
    }

    /** @throws IllegalArgumentException if {@code rtcp} is shorter than 8 octets or 2^31 packets were sent */
    public synchronized byte[] protectRtcp(byte[] rtcp) {
        if (rtcp.length < RtcpPacket.HEADER_AND_SSRC_LENGTH) {
            throw new IllegalArgumentException("not an RTCP packet (" + rtcp.length + " bytes)");
        }
        long ssrc = SrtpTransform.getInt(rtcp, 4);
        long[] next = stream(srtcpIndex, ssrc, 0);
        if (next[0] > SrtpTransform.MAX_SRTCP_INDEX) {
            throw new IllegalArgumentException("SRTCP index space exhausted; a new master key is needed (RFC 3711 9.2)");
        }
        return transform.protectRtcp(rtcp, ssrc, next[0]++);
    }

    /** Bytes SRTP adds to each RTP packet. */
    public int rtpOverhead() {
        return transform.rtpOverhead();
    }

    private static long[] stream(Map<Long, long[]> streams, long ssrc, long initial) {
        long[] state = streams.get(ssrc);
        if (state == null) {
            if (streams.size() >= MAX_STREAMS) {
                throw new IllegalArgumentException("more than " + MAX_STREAMS + " local SSRCs");
            }
            state = new long[] {initial};
            streams.put(ssrc, state);
        }
        return state;
    }
}

package org.dtlsip.media.srtp;

import java.util.HashMap;
import java.util.Map;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.media.rtp.RtcpPacket;
import org.dtlsip.media.rtp.RtpPacket;

/**
 * Verifies and decrypts what the peer sends under its write master key. Per SSRC: the highest
 * authenticated index (from which ROC and s_l follow, RFC 3711 3.3.1) and a replay window for
 * SRTP and one for SRTCP (3.3.2). Order per packet: estimate the index, check replay,
 * authenticate, and only then update state, so that nothing unauthenticated moves it. A new
 * SSRC gets state only once a packet of it authenticates, at most {@link #MAX_STREAMS}.
 * Thread-safe.
 */
public final class SrtpReceiver {
    /** Remote sources tracked; a call has one, a conference a few. */
    public static final int MAX_STREAMS = 16;

    private final SrtpTransform transform;
    private final Map<Long, SrtpReplayWindow> rtp = new HashMap<>();
    private final Map<Long, SrtpReplayWindow> rtcp = new HashMap<>();

    public SrtpReceiver(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        this.transform = SrtpTransform.create(profile, masterKey, masterSalt);
    }

    /** The RTP packet inside {@code srtp[offset, offset + length)}. */
    public synchronized byte[] unprotectRtp(byte[] srtp, int offset, int length) throws SrtpException {
        int header = RtpPacket.headerLength(srtp, offset, length);
        if (header < 0) {
            throw new SrtpException(SrtpException.Reason.MALFORMED, "not an SRTP packet (" + length + " bytes)");
        }
        long ssrc = RtpPacket.ssrc(srtp, offset);
        SrtpReplayWindow window = rtp.get(ssrc);
        long index = PacketIndex.estimate(window == null ? -1 : window.highest(), RtpPacket.sequenceNumber(srtp, offset));
        if (index < 0) {
            throw new SrtpException(SrtpException.Reason.TOO_OLD, "sequence number precedes the stream's first ROC");
        }
        if (window != null) {
            window.check(index);
        } else if (rtp.size() >= MAX_STREAMS) {
            throw new SrtpException(SrtpException.Reason.TOO_MANY_STREAMS, "more than " + MAX_STREAMS + " remote SSRCs");
        }
        byte[] packet = transform.unprotectRtp(srtp, offset, length, header, ssrc, index);
        if (window == null) {
            window = new SrtpReplayWindow();
            rtp.put(ssrc, window);
        }
        window.accept(index);
        return packet;
    }

    public byte[] unprotectRtp(byte[] srtp) throws SrtpException {
        return unprotectRtp(srtp, 0, srtp.length);
    }

    /** The RTCP compound packet inside {@code srtcp[offset, offset + length)}. */
    public synchronized byte[] unprotectRtcp(byte[] srtcp, int offset, int length) throws SrtpException {
        long word = transform.srtcpIndexWord(srtcp, offset, length);
        if (word < 0) {
            throw new SrtpException(SrtpException.Reason.MALFORMED, "not an SRTCP packet (" + length + " bytes)");
        }
        long ssrc = SrtpTransform.getInt(srtcp, offset + 4);
        long index = word & SrtpTransform.MAX_SRTCP_INDEX;
        SrtpReplayWindow window = rtcp.get(ssrc);
        if (window != null) {
            window.check(index);
        } else if (rtcp.size() >= MAX_STREAMS) {
            throw new SrtpException(SrtpException.Reason.TOO_MANY_STREAMS, "more than " + MAX_STREAMS + " remote SSRCs");
        }
        byte[] packet = transform.unprotectRtcp(srtcp, offset, length, ssrc, word);
        if (window == null) {
            window = new SrtpReplayWindow();
            rtcp.put(ssrc, window);
        }
        window.accept(index);
        return packet;
    }

    public byte[] unprotectRtcp(byte[] srtcp) throws SrtpException {
        return unprotectRtcp(srtcp, 0, srtcp.length);
    }

    /** The rollover counter of {@code ssrc}: how often its sequence number wrapped; -1 if unknown. */
    public synchronized long rolloverCounter(long ssrc) {
        SrtpReplayWindow w = rtp.get(ssrc);
        return w == null ? -1 : w.highest() >>> 16;
    }

    /** Whether {@code packet} (a first byte already in the RTP range) is RTCP under rtcp-mux (RFC 5761 4). */
    public static boolean isRtcp(byte[] packet, int offset, int length) {
        return RtcpPacket.isRtcp(packet, offset, length);
    }
}

package org.dtlsip.media.session;

/**
 * What a datagram on a media port is, from its first byte (RFC 7983 7, updating RFC 5764
 * 5.1.2): one port carries DTLS, SRTP and SRTCP (and, in WebRTC, STUN, TURN and ZRTP, which
 * this session does not speak).
 */
public enum PacketKind {
    /** 0-3. */
    STUN,
    /** 16-19. */
    ZRTP,
    /** 20-63: a DTLS record's content type (RFC 7983 widened it from 20-63 to cover future types). */
    DTLS,
    /** 64-79. */
    TURN_CHANNEL,
    /** 128-191: RTP version 2; RTCP is told apart by its packet type (RFC 5761 4). */
    RTP_OR_RTCP,
    /** Anything else: RFC 7983 says drop it. */
    UNKNOWN;

    public static PacketKind of(int firstByte) {
        int b = firstByte & 0xFF;
        if (b <= 3) {
            return STUN;
        }
        if (b >= 16 && b <= 19) {
            return ZRTP;
        }
        if (b >= 20 && b <= 63) {
            return DTLS;
        }
        if (b >= 64 && b <= 79) {
            return TURN_CHANNEL;
        }
        if (b >= 128 && b <= 191) {
            return RTP_OR_RTCP;
        }
        return UNKNOWN;
    }
}

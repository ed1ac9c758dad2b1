package org.dtlsip.media.srtp;

import org.dtlsip.dtls.config.SrtpProfile;

/**
 * Protection of one direction's packets under one master key: the cipher and authentication
 * of a protection profile, with the session keys derived for SRTP and SRTCP. Packet indices
 * (ROC, SRTCP index) and replay are the caller's ({@link SrtpSender}, {@link SrtpReceiver}).
 * Not thread-safe: the JCA objects are reused from packet to packet.
 */
sealed interface SrtpTransform permits AesCmHmacSha1Transform, AesGcmTransform {
    /** RFC 3711 3.4: the E flag, the top bit of the SRTCP index word. */
    long SRTCP_E_FLAG = 0x8000_0000L;
    /** SRTCP indices are 31 bits (RFC 3711 3.4). */
    long MAX_SRTCP_INDEX = 0x7FFF_FFFFL;
    int SRTCP_INDEX_LENGTH = 4;

    static SrtpTransform create(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != profile.keyLength || masterSalt.length != profile.saltLength) {
            throw new IllegalArgumentException(profile + " takes a " + profile.keyLength + "-byte master key and a "
                    + profile.saltLength + "-byte salt, not " + masterKey.length + " and " + masterSalt.length);
        }
        return switch (profile) {
            case SRTP_AES128_CM_SHA1_80 -> new AesCmHmacSha1Transform(masterKey, masterSalt, 10);
            case SRTP_AES128_CM_SHA1_32 -> new AesCmHmacSha1Transform(masterKey, masterSalt, 4);
            case SRTP_AEAD_AES_128_GCM, SRTP_AEAD_AES_256_GCM -> AesGcmTransform.derived(masterKey, masterSalt);
        };
    }

    /** Bytes SRTP adds to an RTP packet. */
    int rtpOverhead();

    /** Bytes SRTCP adds to an RTCP packet. */
    int rtcpOverhead();

    /** RFC 3711 3.3: encrypts the payload after {@code headerLength} and appends the tag. */
    byte[] protectRtp(byte[] rtp, int headerLength, long ssrc, long index);

    /** Verifies the tag first, then decrypts; returns the RTP packet. */
    byte[] unprotectRtp(byte[] srtp, int offset, int length, int headerLength, long ssrc, long index) throws SrtpException;

    /** RFC 3711 3.4: encrypts all but the first 8 octets, appends E||SRTCP index and the tag. */
    byte[] protectRtcp(byte[] rtcp, long ssrc, long srtcpIndex);

    /**
     * The E flag and SRTCP index word as the packet carries it, read before authentication so
     * that the replay check can come first; -1 if the packet is too short.
     */
    long srtcpIndexWord(byte[] srtcp, int offset, int length);

    /** Verifies, then decrypts; returns the RTCP compound packet. */
    byte[] unprotectRtcp(byte[] srtcp, int offset, int length, long ssrc, long srtcpIndexWord) throws SrtpException;

    static void putInt(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static long getInt(byte[] b, int at) {
        return ((b[at] & 0xFFL) << 24) | ((b[at + 1] & 0xFFL) << 16) | ((b[at + 2] & 0xFFL) << 8) | (b[at + 3] & 0xFFL);
    }
}

package org.dtlsip.media.srtp;

/**
 * The 48-bit SRTP packet index {@code i = 2^16 * ROC + SEQ} (RFC 3711 3.3.1), guessed from a
 * 16-bit sequence number and the highest index seen so far, as appendix A describes.
 */
final class PacketIndex {
    /** RFC 3711 3.3.1: the ROC is 32 bits; past it the master key must be replaced (9.2). */
    static final long MAX_ROC = 0xFFFF_FFFFL;

    private PacketIndex() {
    }

    /**
     * The index of {@code seq}: ROC - 1, ROC or ROC + 1 with the sequence number, whichever is
     * nearest {@code highest} (RFC 3711 appendix A); {@code seq} itself before any packet
     * ({@code highest} -1, ROC 0: DTLS-SRTP starts every ROC at 0). -1 when the guess falls
     * before the first ROC or after the last.
     */
    static long estimate(long highest, int seq) {
        if (highest < 0) {
            return seq;
        }
        long roc = highest >>> 16;
        int sl = (int) (highest & 0xFFFF);
        long v;
        if (sl < 0x8000) {
            v = seq - sl > 0x8000 ? roc - 1 : roc;
        } else {
            v = sl - 0x8000 > seq ? roc + 1 : roc;
        }
        if (v < 0 || v > MAX_ROC) {
            return -1;
        }
        return (v << 16) | seq;
    }
}

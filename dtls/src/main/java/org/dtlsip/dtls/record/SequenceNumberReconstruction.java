package org.dtlsip.dtls.record;

/**
 * Rebuilds a DTLS 1.3 sequence number from the 8 or 16 low bits a unified header carries
 * (RFC 9147 4.2.2): "the full sequence number which is numerically closest to one plus the
 * sequence number of the highest successfully deprotected record in the current epoch". The
 * arithmetic is QUIC's packet number decoding (RFC 9000 A.3) bounded by 2^48 - 1 instead of
 * 2^62 - 1.
 *
 * <p>A wrong guess (reordering beyond half the window, or a forged header) only makes the
 * record fail authentication, because the full number is in the AEAD nonce.
 */
public final class SequenceNumberReconstruction {
    private SequenceNumberReconstruction() {
    }

    /**
     * @param expected one plus the highest authenticated sequence number of the epoch (0 when
     *     none was yet)
     * @param lowBits the sequence number field after record number decryption
     * @param bits 8 or 16, the field's width
     * @return the candidate closest to {@code expected}, within 0..2^48 - 1
     */
    public static long reconstruct(long expected, int lowBits, int bits) {
        if (bits != 8 && bits != 16) {
            throw new IllegalArgumentException("sequence number field of " + bits + " bits");
        }
        long window = 1L << bits;
        long half = window >>> 1;
        long candidate = (expected & ~(window - 1)) | (lowBits & (window - 1));
        if (candidate + half <= expected && candidate + window <= RecordNumber.MAX_SEQUENCE_NUMBER) {
            return candidate + window;
        }
        if (candidate > expected + half && candidate >= window) {
            return candidate - window;
        }
        return candidate;
    }
}

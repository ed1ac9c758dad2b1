package org.dtlsip.dtls.record;

/**
 * The first byte of a DTLS 1.3 DTLSCiphertext record and what follows it (RFC 9147 4):
 *
 * <pre>
 *  0 1 2 3 4 5 6 7
 * +-+-+-+-+-+-+-+-+
 * |0|0|1|C|S|L|E E|   C: connection ID present, S: 16-bit sequence number (else 8),
 * +-+-+-+-+-+-+-+-+   L: length present, EE: low two bits of the epoch
 * | Connection ID |   (if C; its length is whatever the receiver chose, RFC 9146)
 * | Sequence Nr.  |   8 or 16 bits, encrypted (4.2.3)
 * | Length        |   16 bits (if L; else the record fills the rest of the datagram)
 * +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The fixed bits 001 keep the byte in 32..63, apart from every DTLS 1.2 content type and inside
 * the DTLS range of RFC 7983 demultiplexing.
 */
public final class UnifiedHeader {
    /** The three high bits, and their required value 001. */
    public static final int FIXED_MASK = 0xe0;
    public static final int FIXED_BITS = 0x20;
    public static final int CID_BIT = 0x10;
    public static final int SEQUENCE_16_BIT = 0x08;
    public static final int LENGTH_BIT = 0x04;
    public static final int EPOCH_MASK = 0x03;

    private UnifiedHeader() {
    }

    /** RFC 9147 4.1: a first byte starting 001 is a DTLSCiphertext record. */
    public static boolean isCiphertext(int firstByte) {
        return (firstByte & FIXED_MASK) == FIXED_BITS;
    }

    /** The first byte for a record of {@code epoch} with the given optional parts. */
    public static int firstByte(long epoch, boolean cid, boolean sequence16, boolean length) {
        return FIXED_BITS | (cid ? CID_BIT : 0) | (sequence16 ? SEQUENCE_16_BIT : 0)
                | (length ? LENGTH_BIT : 0) | (int) (epoch & EPOCH_MASK);
    }

    /** Bytes of the header: flags, connection ID, sequence number, length. */
    public static int length(int cidLength, boolean sequence16, boolean length) {
        return 1 + cidLength + (sequence16 ? 2 : 1) + (length ? 2 : 0);
    }
}

package org.dtlsip.dtls.record;

/**
 * One DTLSPlaintext/DTLSCiphertext record (RFC 6347 4.1) as it appears on the wire. The
 * fragment is plaintext in epoch 0 and protected afterwards; {@code contentType} is the raw
 * wire value so that unknown types can be counted before they are dropped.
 *
 * <p>A record of type tls12_cid (RFC 9146 4) carries the connection ID between the sequence
 * number and the length; {@code connectionId} is empty for every other record.
 */
public record Record(int contentType, int version, int epoch, long sequenceNumber, byte[] connectionId,
        byte[] fragment) {
    /** type(1) + version(2) + epoch(2) + sequence_number(6) + length(2). */
    public static final int HEADER_LENGTH = 13;
    /** Offset of the connection ID in a tls12_cid record: right after the sequence number (RFC 9146 4). */
    public static final int CONNECTION_ID_OFFSET = 11;
    /** Largest sequence number: the field is 48 bits (RFC 6347 4.1). */
    public static final long MAX_SEQUENCE_NUMBER = (1L << 48) - 1;
    /** TLSPlaintext.length limit (RFC 5246 6.2.1). */
    public static final int MAX_PLAINTEXT_LENGTH = 1 << 14;
    /** TLSCiphertext.length limit (RFC 5246 6.2.3): plaintext plus at most 2048 bytes of expansion. */
    public static final int MAX_CIPHERTEXT_LENGTH = MAX_PLAINTEXT_LENGTH + 2048;

    private static final byte[] NO_CONNECTION_ID = new byte[0];

    /** A record without a connection ID. */
    public Record(int contentType, int version, int epoch, long sequenceNumber, byte[] fragment) {
        this(contentType, version, epoch, sequenceNumber, NO_CONNECTION_ID, fragment);
    }

    public int encodedLength() {
        return HEADER_LENGTH + connectionId.length + fragment.length;
    }

    /** The 64-bit sequence number of TLS's MAC/AEAD input: epoch in the top 16 bits (RFC 6347 4.1). */
    public static long epochAndSequence(int epoch, long sequenceNumber) {
        return ((long) epoch << 48) | sequenceNumber;
    }
}

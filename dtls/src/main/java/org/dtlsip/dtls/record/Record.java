package org.dtlsip.dtls.record;

/**
 * One DTLSPlaintext/DTLSCiphertext record (RFC 6347 4.1) as it appears on the wire. The
 * fragment is plaintext in epoch 0 and protected afterwards; {@code contentType} is the raw
 * wire value so that unknown types can be counted before they are dropped.
 *
 * <p>A record of type tls12_cid (RFC 9146 4) carries the connection ID between the sequence
 * number and the length; {@code connectionId} is empty for every other record.
 *
 * <p>The fragment is {@code buffer[fragmentOffset .. fragmentOffset + fragmentLength)}. A record
 * {@link RecordCodec#parse parsed} from a datagram is a view into that datagram, so that a
 * receiver decrypts straight from it without copying the record out first: it is valid only
 * while the caller keeps the datagram's bytes unchanged, i.e. during the call that received
 * them (receivers reuse one buffer for every datagram). Whatever keeps a record longer takes
 * {@link #detached()}. {@link #fragment()} is always an array of its own or the record's
 * exclusive buffer, never shared with a datagram.
 */
public record Record(int contentType, int version, int epoch, long sequenceNumber, byte[] connectionId,
        byte[] buffer, int fragmentOffset, int fragmentLength) {
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

    public Record {
        java.util.Objects.checkFromIndexSize(fragmentOffset, fragmentLength, buffer.length);
    }

    /** A record without a connection ID that owns {@code fragment}. */
    public Record(int contentType, int version, int epoch, long sequenceNumber, byte[] fragment) {
        this(contentType, version, epoch, sequenceNumber, NO_CONNECTION_ID, fragment);
    }

    /** A record that owns {@code fragment}. */
    public Record(int contentType, int version, int epoch, long sequenceNumber, byte[] connectionId, byte[] fragment) {
        this(contentType, version, epoch, sequenceNumber, connectionId, fragment, 0, fragment.length);
    }

    /** The fragment's bytes: the buffer when the record owns all of it, else a copy. */
    public byte[] fragment() {
        return fragmentOffset == 0 && fragmentLength == buffer.length ? buffer
                : java.util.Arrays.copyOfRange(buffer, fragmentOffset, fragmentOffset + fragmentLength);
    }

    /** This record with a fragment of its own, safe to keep after the datagram's buffer is reused. */
    public Record detached() {
        return new Record(contentType, version, epoch, sequenceNumber, connectionId, fragment());
    }

    public int encodedLength() {
        return HEADER_LENGTH + connectionId.length + fragmentLength;
    }

    /** The 64-bit sequence number of TLS's MAC/AEAD input: epoch in the top 16 bits (RFC 6347 4.1). */
    public static long epochAndSequence(int epoch, long sequenceNumber) {
        return ((long) epoch << 48) | sequenceNumber;
    }
}

package org.dtlsip.dtls.handshake;

import java.util.Arrays;
import org.dtlsip.dtls.util.ByteReader;
import org.dtlsip.dtls.util.ByteWriter;
import org.dtlsip.dtls.util.DecodeException;

/**
 * One handshake fragment as carried in a DTLS record: the 12-byte DTLS handshake header
 * followed by {@code fragment_length} bytes of the message body (RFC 6347 4.2.2).
 *
 * <pre>
 * struct {
 *   HandshakeType msg_type;    // 1 byte
 *   uint24 length;             // length of the whole message body
 *   uint16 message_seq;
 *   uint24 fragment_offset;
 *   uint24 fragment_length;    // implied here by fragment.length
 *   opaque fragment[fragment_length];
 * } Handshake;
 * </pre>
 *
 * <p>DTLS adds {@code message_seq}, {@code fragment_offset} and {@code fragment_length} to the
 * TLS header so that a message larger than one datagram can be split and reassembled in any
 * order, and so that retransmissions can be recognised (RFC 6347 4.2.2, 4.2.3).
 *
 * <p>The record does not interpret {@code msg_type}: an unknown value is kept as an int so that
 * the {@link Reassembler} can report it rather than the codec throwing.
 */
public record HandshakeFragment(int msgType, int length, int messageSeq, int fragmentOffset,
        byte[] fragment) {

    /** msg_type(1) + length(3) + message_seq(2) + fragment_offset(3) + fragment_length(3). */
    public static final int HEADER_LENGTH = 12;
    /** The largest value a uint24 can hold: the ceiling on length and fragment_offset. */
    public static final int MAX_UINT24 = 0xff_ffff;
    /** The largest message_seq; the counter is a uint16 (RFC 6347 4.2.2). */
    public static final int MAX_MESSAGE_SEQ = 0xffff;

    /**
     * Validates the header fields and copies the fragment.
     *
     * @throws IllegalArgumentException if a field does not fit its wire width or the fragment
     *     extends past {@code length}; decoding checks the same conditions first and throws
     *     {@link DecodeException} instead
     */
    public HandshakeFragment {
        if (msgType < 0 || msgType > 0xff) {
            throw new IllegalArgumentException("msg_type out of range: " + msgType);
        }
        if (length < 0 || length > MAX_UINT24) {
            throw new IllegalArgumentException("length out of range: " + length);
        }
        if (messageSeq < 0 || messageSeq > MAX_MESSAGE_SEQ) {
            throw new IllegalArgumentException("message_seq out of range: " + messageSeq);
        }
        if (fragmentOffset < 0 || fragmentOffset > MAX_UINT24) {
            throw new IllegalArgumentException("fragment_offset out of range: " + fragmentOffset);
        }
        if ((long) fragmentOffset + fragment.length > length) {
            throw new IllegalArgumentException("fragment [" + fragmentOffset + ", "
                    + (fragmentOffset + fragment.length) + ") exceeds message length " + length);
        }
        fragment = fragment.clone();
    }

    /**
     * Reads one header and its fragment. Only structural checks are made here: the fragment
     * must be present in {@code r} and must lie within the declared message length (a fragment
     * past the end of its message is malformed, RFC 6347 4.2.3). Policy limits (message size,
     * lookahead, memory) belong to the {@link Reassembler}.
     *
     * @throws DecodeException if the header or fragment is truncated or inconsistent
     */
    public static HandshakeFragment decode(ByteReader r) {
        int msgType = r.u8();
        int length = r.u24();
        int messageSeq = r.u16();
        int fragmentOffset = r.u24();
        int fragmentLength = r.u24();
        if (fragmentOffset + fragmentLength > length) {
            // uint24 + uint24 cannot overflow an int
            throw new DecodeException("handshake fragment [" + fragmentOffset + ", "
                    + (fragmentOffset + fragmentLength) + ") exceeds message length " + length);
        }
        byte[] fragment = r.bytes(fragmentLength);
        return new HandshakeFragment(msgType, length, messageSeq, fragmentOffset, fragment);
    }

    /** Writes the 12-byte header followed by the fragment. */
    public void encode(ByteWriter w) {
        w.u8(msgType).u24(length).u16(messageSeq).u24(fragmentOffset).u24(fragment.length)
                .bytes(fragment);
    }

    /** A copy of the fragment bytes. */
    @Override
    public byte[] fragment() {
        return fragment.clone();
    }

    public int fragmentLength() {
        return fragment.length;
    }

    /** The exclusive end offset of this fragment within its message. */
    public int fragmentEnd() {
        return fragmentOffset + fragment.length;
    }

    /** True when this single fragment carries the whole message. */
    public boolean isComplete() {
        return fragmentOffset == 0 && fragment.length == length;
    }

    /** Bytes {@link #encode} writes: header plus fragment. */
    public int encodedLength() {
        return HEADER_LENGTH + fragment.length;
    }

    /** Copies {@code len} fragment bytes from {@code from} into {@code dst} without exposing the array. */
    void copyTo(int from, byte[] dst, int dstOffset, int len) {
        System.arraycopy(fragment, from, dst, dstOffset, len);
    }

    /** Compares {@code len} fragment bytes from {@code from} with {@code other[otherOffset..]}. */
    boolean regionEquals(int from, byte[] other, int otherOffset, int len) {
        return Arrays.equals(fragment, from, from + len, other, otherOffset, otherOffset + len);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandshakeFragment f && msgType == f.msgType && length == f.length
                && messageSeq == f.messageSeq && fragmentOffset == f.fragmentOffset
                && Arrays.equals(fragment, f.fragment);
    }

    @Override
    public int hashCode() {
        int h = msgType;
        h = 31 * h + length;
        h = 31 * h + messageSeq;
        h = 31 * h + fragmentOffset;
        return 31 * h + Arrays.hashCode(fragment);
    }

    @Override
    public String toString() {
        HandshakeType t = HandshakeType.of(msgType);
        return "HandshakeFragment[" + (t != null ? t : "type " + msgType) + " seq=" + messageSeq
                + " [" + fragmentOffset + "," + fragmentEnd() + ")/" + length + "]";
    }
}

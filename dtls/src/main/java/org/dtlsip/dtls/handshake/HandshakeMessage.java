package org.dtlsip.dtls.handshake;

import java.util.Arrays;
import java.util.Objects;
import org.dtlsip.dtls.util.ByteWriter;

/**
 * A complete handshake message: its type, DTLS message_seq and body (everything after the
 * 12-byte DTLS handshake header). Produced by the {@link Reassembler} on receipt and split by
 * the {@link Fragmenter} for sending.
 */
public record HandshakeMessage(HandshakeType type, int messageSeq, byte[] body) {

    /** @throws IllegalArgumentException if the seq or body does not fit the DTLS header fields */
    public HandshakeMessage {
        Objects.requireNonNull(type, "type");
        if (messageSeq < 0 || messageSeq > HandshakeFragment.MAX_MESSAGE_SEQ) {
            throw new IllegalArgumentException("message_seq out of range: " + messageSeq);
        }
        if (body.length > HandshakeFragment.MAX_UINT24) {
            throw new IllegalArgumentException("body of " + body.length + " bytes exceeds uint24");
        }
        body = body.clone();
    }

    /** A copy of the body. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    public int length() {
        return body.length;
    }

    /**
     * The bytes this message contributes to the handshake transcript: the DTLS header written
     * as if the message had been sent as a single fragment (fragment_offset 0, fragment_length
     * = length) followed by the body. RFC 6347 4.2.6 specifies this so that both sides hash the
     * same bytes however the message was actually fragmented on the wire.
     */
    public byte[] transcriptBytes() {
        ByteWriter w = new ByteWriter(HandshakeFragment.HEADER_LENGTH + body.length);
        w.u8(type.code).u24(body.length).u16(messageSeq).u24(0).u24(body.length).bytes(body);
        return w.toByteArray();
    }

    /** The whole message as one fragment; identical bytes to {@link #transcriptBytes()}. */
    public HandshakeFragment asFragment() {
        return new HandshakeFragment(type.code, body.length, messageSeq, 0, body);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandshakeMessage m && type == m.type && messageSeq == m.messageSeq
                && Arrays.equals(body, m.body);
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + messageSeq) * 31 + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "HandshakeMessage[" + type + " seq=" + messageSeq + " length=" + body.length + "]";
    }
}

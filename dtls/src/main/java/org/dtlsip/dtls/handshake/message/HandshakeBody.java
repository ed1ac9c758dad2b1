package org.dtlsip.dtls.handshake.message;

import org.dtlsip.dtls.handshake.HandshakeMessage;
import org.dtlsip.dtls.handshake.HandshakeType;

/**
 * A decoded handshake message body: everything after the 12-byte DTLS handshake header.
 * Each implementation is immutable, has a {@code static decode(byte[] body)} that throws only
 * {@link org.dtlsip.dtls.util.DecodeException} on malformed input, and encodes canonically.
 */
public interface HandshakeBody {

    HandshakeType type();

    /** The wire form of the body. */
    byte[] encode();

    /** This body framed as a message with the given message_seq, ready to fragment and hash. */
    default HandshakeMessage toMessage(int messageSeq) {
        return new HandshakeMessage(type(), messageSeq, encode());
    }
}

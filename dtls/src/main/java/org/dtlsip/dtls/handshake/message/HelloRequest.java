package org.dtlsip.dtls.handshake.message;

import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.util.DecodeException;

/**
 * HelloRequest (RFC 5246 7.4.1.1): {@code struct { } HelloRequest;}. A server's invitation to
 * renegotiate; this implementation does not renegotiate and the engine answers it with a
 * no_renegotiation warning, but the codec still has to recognise it.
 */
public record HelloRequest() implements HandshakeBody {

    /** @throws DecodeException if the body is not empty */
    public static HelloRequest decode(byte[] body) {
        if (body.length != 0) {
            throw new DecodeException("HelloRequest: " + body.length + " trailing bytes");
        }
        return new HelloRequest();
    }

    @Override
    public byte[] encode() {
        return new byte[0];
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.HELLO_REQUEST;
    }
}

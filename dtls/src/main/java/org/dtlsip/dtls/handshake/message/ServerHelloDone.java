package org.dtlsip.dtls.handshake.message;

import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.util.DecodeException;

/** ServerHelloDone (RFC 5246 7.4.5): {@code struct { } ServerHelloDone;}, an empty body. */
public record ServerHelloDone() implements HandshakeBody {

    /** @throws DecodeException if the body is not empty */
    public static ServerHelloDone decode(byte[] body) {
        if (body.length != 0) {
            throw new DecodeException("ServerHelloDone: " + body.length + " trailing bytes");
        }
        return new ServerHelloDone();
    }

    @Override
    public byte[] encode() {
        return new byte[0];
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.SERVER_HELLO_DONE;
    }
}

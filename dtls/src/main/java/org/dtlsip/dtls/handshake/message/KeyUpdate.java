package org.dtlsip.dtls.handshake.message;

import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.util.ByteReader;

/**
 * KeyUpdate (RFC 8446 4.6.3): {@code KeyUpdateRequest request_update;} where
 * update_not_requested is 0 and update_requested is 1. Any other value decodes, so that the
 * handshake can answer it with the illegal_parameter alert RFC 8446 4.6.3 asks for rather than
 * decode_error; {@link #isValid()} tells. In DTLS 1.3 the sender switches to the next epoch only
 * once the KeyUpdate is acknowledged (RFC 9147 8).
 */
public record KeyUpdate(int requestUpdate) implements HandshakeBody {
    public static final int UPDATE_NOT_REQUESTED = 0;
    public static final int UPDATE_REQUESTED = 1;

    public KeyUpdate {
        Wire.checkRange(requestUpdate, 0, Wire.MAX_UINT8, "request_update");
    }

    public static KeyUpdate requested(boolean requested) {
        return new KeyUpdate(requested ? UPDATE_REQUESTED : UPDATE_NOT_REQUESTED);
    }

    /** @throws org.dtlsip.dtls.util.DecodeException unless the body is exactly one byte */
    public static KeyUpdate decode(byte[] body) {
        ByteReader r = new ByteReader(body);
        int value = r.u8();
        r.expectEnd("KeyUpdate");
        return new KeyUpdate(value);
    }

    @Override
    public byte[] encode() {
        return new byte[] {(byte) requestUpdate};
    }

    @Override
    public HandshakeType type() {
        return HandshakeType.KEY_UPDATE;
    }

    public boolean isValid() {
        return requestUpdate == UPDATE_NOT_REQUESTED || requestUpdate == UPDATE_REQUESTED;
    }

    public boolean updateRequested() {
        return requestUpdate == UPDATE_REQUESTED;
    }
}

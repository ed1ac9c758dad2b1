package org.dtlsip.dtls.engine;

import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.Rrc;
import org.dtlsip.dtls.util.DecodeException;

/**
 * The rrc extension in the DTLS 1.3 hellos (RFC 9853 3): offered in the ClientHello (the one
 * {@link ClientHandshake} builds for both versions, beside connection_id) and answered in the
 * ServerHello (RFC 9853 10 registers it for CH and SH; its example handshake is DTLS 1.3).
 * Agreed only beside agreed connection IDs, which the check exists for (RFC 9853 5); once
 * agreed, the association answers and sends return_routability_check records
 * ({@link ReturnRoutability}, the same subprotocol as DTLS 1.2's).
 */
final class Tls13ReturnRoutability {
    private Tls13ReturnRoutability() {
    }

    /**
     * The server's answer to the client's offer, or {@code null}: only when we are configured
     * for the check and the connection IDs were just agreed ({@link Dtls13Association#useConnectionIds}).
     */
    static Extension answer(Dtls13Association a, Extension offer) {
        if (offer == null || !a.config().returnRoutabilityCheck() || a.agreedPeerConnectionId() == null) {
            return null;
        }
        check(offer);
        a.agreeReturnRoutabilityCheck();
        return Rrc.extension();
    }

    /**
     * The client reads the server's ServerHello extension (unsolicited ones were refused
     * before): usable once both sides exchanged it (RFC 9853 3), and only with the connection
     * IDs the same ServerHello agreed.
     */
    static void accept(Dtls13Association a, Extension answer) {
        if (answer == null) {
            return;
        }
        check(answer);
        if (a.agreedPeerConnectionId() != null) {
            a.agreeReturnRoutabilityCheck();
        }
    }

    private static void check(Extension e) {
        try {
            Rrc.check(e);
        } catch (DecodeException bad) {
            throw new HandshakeFailure(AlertDescription.DECODE_ERROR, "malformed rrc: " + bad.getMessage());
        }
    }
}

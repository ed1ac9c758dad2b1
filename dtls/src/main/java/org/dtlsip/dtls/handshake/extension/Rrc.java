package org.dtlsip.dtls.handshake.extension;

import org.dtlsip.dtls.util.DecodeException;

/**
 * rrc (RFC 9853 3, extension type 61): offered in a ClientHello and answered in a ServerHello
 * to agree on the return routability check; its extension_data is empty. It goes with
 * connection_id (RFC 9146): a client offering rrc also offers connection_id, and a server
 * answers rrc only when the client offered both.
 */
public final class Rrc {
    private Rrc() {
    }

    /** The extension as sent, in either hello. */
    public static Extension extension() {
        return new Extension(ExtensionType.RRC, new byte[0]);
    }

    /** @throws DecodeException when its extension_data is not empty (RFC 9853 3) */
    public static void check(Extension e) {
        CodeLists.requireType(e, ExtensionType.RRC);
        if (e.data().length != 0) {
            throw new DecodeException("rrc with " + e.data().length + " bytes of extension_data; it has none (RFC 9853 3)");
        }
    }
}

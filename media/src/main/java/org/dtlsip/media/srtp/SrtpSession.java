package org.dtlsip.media.srtp;

import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.dtls.engine.SrtpKeyingMaterial;

/**
 * Both directions of a DTLS-SRTP association (RFC 5764 4.2): the DTLS client protects with
 * client_write_SRTP_master_key/salt and the server with the server's; each verifies with the
 * other's.
 */
public final class SrtpSession {
    private final SrtpProfile profile;
    private final SrtpSender sender;
    private final SrtpReceiver receiver;

    public SrtpSession(SrtpProfile profile, SrtpSender sender, SrtpReceiver receiver) {
        this.profile = profile;
        this.sender = sender;
        this.receiver = receiver;
    }

    /** @param dtlsClient whether we were the DTLS client of the handshake that exported {@code keys} */
    public static SrtpSession fromDtls(SrtpKeyingMaterial keys, boolean dtlsClient) {
        SrtpProfile p = keys.profile();
        byte[] writeKey = dtlsClient ? keys.clientKey() : keys.serverKey();
        byte[] writeSalt = dtlsClient ? keys.clientSalt() : keys.serverSalt();
        byte[] readKey = dtlsClient ? keys.serverKey() : keys.clientKey();
        byte[] readSalt = dtlsClient ? keys.serverSalt() : keys.clientSalt();
        return new SrtpSession(p, new SrtpSender(p, writeKey, writeSalt), new SrtpReceiver(p, readKey, readSalt));
    }

    public SrtpProfile profile() {
        return profile;
    }

    public SrtpSender sender() {
        return sender;
    }

    public SrtpReceiver receiver() {
        return receiver;
    }
}

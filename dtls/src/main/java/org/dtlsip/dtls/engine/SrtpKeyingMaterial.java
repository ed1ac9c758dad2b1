package org.dtlsip.dtls.engine;

import java.util.Arrays;
import org.dtlsip.dtls.config.SrtpProfile;

/**
 * SRTP master keys and salts exported from a DTLS-SRTP handshake (RFC 5764 4.2): the
 * exporter output with label {@code EXTRACTOR-dtls_srtp} split as client_write_SRTP_master_key,
 * server_write_SRTP_master_key, client_write_SRTP_master_salt, server_write_SRTP_master_salt.
 */
public record SrtpKeyingMaterial(SrtpProfile profile, byte[] clientKey, byte[] serverKey, byte[] clientSalt,
        byte[] serverSalt) {
    /** RFC 5764 4.2 exporter label. */
    public static final String EXPORTER_LABEL = "EXTRACTOR-dtls_srtp";

    static SrtpKeyingMaterial split(SrtpProfile profile, byte[] material) {
        int k = profile.keyLength;
        int s = profile.saltLength;
        return new SrtpKeyingMaterial(profile,
                Arrays.copyOfRange(material, 0, k),
                Arrays.copyOfRange(material, k, 2 * k),
                Arrays.copyOfRange(material, 2 * k, 2 * k + s),
                Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s));
    }
}

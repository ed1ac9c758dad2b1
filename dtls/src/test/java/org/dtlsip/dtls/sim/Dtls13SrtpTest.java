package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.engine.SrtpKeyingMaterial;
import org.junit.jupiter.api.Test;

/**
 * DTLS-SRTP over DTLS 1.3: use_srtp offered in the ClientHello and answered in
 * EncryptedExtensions (RFC 5764 4.1.1, RFC 8446 4.2), keys from the TLS 1.3 exporter with the
 * label EXTRACTOR-dtls_srtp (RFC 5764 4.2, RFC 8446 7.5).
 */
class Dtls13SrtpTest {
    private static final CertifiedKey KEY = TestKeys.ec();

    @Test
    void profileIsAgreedInEncryptedExtensionsAndBothSidesDeriveTheSameKeys() {
        SimulatedNetwork net = Dtls13HandshakeTest.established(
                Dtls13HandshakeTest.client13(KEY).srtpProfiles(List.of(SrtpProfile.SRTP_AEAD_AES_128_GCM,
                        SrtpProfile.SRTP_AES128_CM_SHA1_80)).build(),
                Dtls13HandshakeTest.server13(KEY).srtpProfiles(List.of(SrtpProfile.SRTP_AES128_CM_SHA1_80,
                        SrtpProfile.SRTP_AEAD_AES_128_GCM)).build());
        DtlsSession client = net.client().session();
        DtlsSession server = net.server().session();
        assertTrue(client.isDtls13());
        assertEquals(SrtpProfile.SRTP_AES128_CM_SHA1_80, client.srtpProfile(), "the server's preference (RFC 5764 4.1.1)");
        assertEquals(SrtpProfile.SRTP_AES128_CM_SHA1_80, server.srtpProfile());
        assertArrayEquals(new byte[0], client.srtpMki());
        SrtpKeyingMaterial c = client.srtpKeyingMaterial();
        SrtpKeyingMaterial s = server.srtpKeyingMaterial();
        assertArrayEquals(c.clientKey(), s.clientKey());
        assertArrayEquals(c.serverKey(), s.serverKey());
        assertArrayEquals(c.clientSalt(), s.clientSalt());
        assertArrayEquals(c.serverSalt(), s.serverSalt());
        assertEquals(16, c.clientKey().length);
        assertFalse(java.util.Arrays.equals(c.clientKey(), c.serverKey()));
        assertArrayEquals(client.exportKeyingMaterial(SrtpKeyingMaterial.EXPORTER_LABEL, null, 60),
                concat(c.clientKey(), c.serverKey(), c.clientSalt(), c.serverSalt()), "RFC 5764 4.2's split of the exporter output");
    }

    @Test
    void noCommonProfileMeansNoAnswerAndNoKeys() {
        SimulatedNetwork net = Dtls13HandshakeTest.established(
                Dtls13HandshakeTest.client13(KEY).srtpProfiles(List.of(SrtpProfile.SRTP_AEAD_AES_256_GCM)).build(),
                Dtls13HandshakeTest.server13(KEY).srtpProfiles(List.of(SrtpProfile.SRTP_AES128_CM_SHA1_80)).build());
        assertTrue(net.client().session().isDtls13());
        assertNull(net.client().session().srtpProfile());
        assertNull(net.server().session().srtpProfile());
        assertNull(net.client().session().srtpKeyingMaterial());
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}

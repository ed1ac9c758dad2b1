package org.dtlsip.dtls.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.SrtpKeyingMaterial;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * use_srtp over DTLS 1.3 against wolfSSL (its examples' {@code --srtp}), both ways: offered in
 * the ClientHello and answered in EncryptedExtensions (RFC 5764 4.1.1, RFC 8446 4.2). wolfSSL
 * 5.5.4's examples do not print the exported keys outside their own test harness, so key
 * agreement is checked by {@code Dtls13SrtpTest} (our two sides) and the exporter against
 * wolfSSL by {@code Dtls13WolfSslInteropTest.keyLogLinesMatchWolfSsl} (EXPORTER_SECRET).
 */
class Dtls13SrtpWolfSslTest {
    private static final long WAIT_MILLIS = Interop.WAIT.toMillis();

    @BeforeAll
    static void wolfSslBuilt() {
        assumeTrue(WolfSslPeer.available(), () -> "wolfSSL DTLS 1.3 peer: " + WolfSslPeer.unavailableReason().orElse("?"));
    }

    @Test
    void ourClientAgreesAProfileWithWolfSslServer() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        try (WolfSslPeer wolf = WolfSslPeer.server(key, null, WolfSslPeer.Options.dtls13().extra("--srtp", "SRTP_AES128_CM_SHA1_80"));
             EngineOverUdp ours = EngineOverUdp.client(Interop.clientPinning(key)
                     .protocols(ProtocolVersion.DTLS_1_3).srtpProfiles(List.of(SrtpProfile.SRTP_AES128_CM_SHA1_80)).build(),
                     Interop.loopback(wolf.port()))) {
            assertTrue(ours.runUntil(ours::handshakeDone, WAIT_MILLIS), "no handshake within " + WAIT_MILLIS + " ms");
            DtlsEngine engine = ours.engine();
            assertEquals(DtlsEngine.Status.ESTABLISHED, engine.status(), () -> engine.failure() + "\n" + wolf.output());
            assertEquals("DTLSv1.3", engine.session().protocol());
            assertEquals(SrtpProfile.SRTP_AES128_CM_SHA1_80, engine.session().srtpProfile());
            ours.send(Interop.bytes("srtp over 1.3"));
            assertTrue(ours.runUntil(() -> !ours.received().isEmpty(), WAIT_MILLIS), () -> "no echo: " + wolf.output());
        }
    }

    @Test
    void wolfSslClientAgreesAProfileWithOurServer() throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        try (EngineOverUdp ours = EngineOverUdp.server(Interop.server(key).protocols(ProtocolVersion.DTLS_1_3)
                .srtpProfiles(List.of(SrtpProfile.SRTP_AES128_CM_SHA1_80)).build());
             WolfSslPeer wolf = WolfSslPeer.client(ours.localAddress(), key, null,
                     WolfSslPeer.Options.dtls13().extra("--srtp", "SRTP_AES128_CM_SHA1_80"))) {
            assertTrue(ours.runUntil(() -> ours.engine() != null && ours.handshakeDone(), WAIT_MILLIS),
                    () -> "no handshake: " + wolf.output());
            DtlsEngine engine = ours.engine();
            assertEquals(DtlsEngine.Status.ESTABLISHED, engine.status(), () -> engine.failure() + "\n" + wolf.output());
            assertEquals(SrtpProfile.SRTP_AES128_CM_SHA1_80, engine.session().srtpProfile());
            assertEquals(SrtpProfile.SRTP_AES128_CM_SHA1_80, engine.session().srtpKeyingMaterial().profile());
            assertTrue(engine.session().isDtls13());
        }
    }
}

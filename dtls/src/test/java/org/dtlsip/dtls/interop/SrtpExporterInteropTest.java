package org.dtlsip.dtls.interop;

import static org.dtlsip.dtls.interop.Interop.WAIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.config.SrtpProfile;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.engine.SrtpKeyingMaterial;
import org.dtlsip.dtls.io.DtlsClient;
import org.dtlsip.dtls.io.DtlsServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * use_srtp (RFC 5764) and the keying material exporter (RFC 5705) against openssl: the profile
 * both sides agree on, and the bytes openssl prints for {@code -keymatexport LABEL
 * -keymatexportlen N} equal {@link DtlsSession#exportKeyingMaterial} and, for
 * {@code EXTRACTOR-dtls_srtp}, the split in {@link DtlsSession#srtpKeyingMaterial()}.
 *
 * <p>OpenSSL 3.0.19 output (s_server after {@code CIPHER is}, s_client after the session
 * summary): {@code SRTP Extension negotiated, profile=SRTP_AEAD_AES_128_GCM}, then
 * {@code Keying material exporter:}, {@code     Label: 'X'}, {@code     Length: N bytes},
 * {@code     Keying material: <uppercase hex>} on one line. The exporter is called without a
 * context (our {@code context == null}).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SrtpExporterInteropTest {

    private static final String SUITE = "ECDHE-ECDSA-AES128-GCM-SHA256";
    private static final String KEYING_MATERIAL = "    Keying material: ";

    @BeforeEach
    void needOpenSsl() {
        assumeTrue(OpenSslPeer.available(), "openssl not installed");
    }

    /** We offer all profiles; s_server offers one and must get it. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(SrtpProfile.class)
    void ourClientAgreesOnSrtpProfileAndKeysWithOpenSslServer(SrtpProfile profile) throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        int length = profile.keyingMaterialLength();
        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, key, "-cipher", SUITE, "-use_srtp", profile.name(),
                "-keymatexport", SrtpKeyingMaterial.EXPORTER_LABEL, "-keymatexportlen", String.valueOf(length))) {
            DtlsConfig config = Interop.clientPinning(key).cipherSuites(SUITE)
                    .srtpProfiles(List.of(SrtpProfile.values())).build();
            try (DtlsClient client = DtlsClient.connect(Interop.loopback(port), config)) {
                DtlsSession session = client.session();
                assertEquals(profile, session.srtpProfile());
                server.awaitLine(("SRTP Extension negotiated, profile=" + profile.name())::equals, WAIT);
                server.awaitLine(("    Length: " + length + " bytes")::equals, WAIT);
                byte[] openssl = keyingMaterial(server);
                assertEquals(length, openssl.length);
                assertArrayEquals(openssl, session.exportKeyingMaterial(SrtpKeyingMaterial.EXPORTER_LABEL, null, length));
                assertSplit(profile, openssl, session.srtpKeyingMaterial());
            }
        }
    }

    /** s_client offers one profile; our server accepts all and must choose it. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(SrtpProfile.class)
    void openSslClientAgreesOnSrtpProfileAndKeysWithOurServer(SrtpProfile profile) throws Exception {
        TestPki.Material key = TestPki.ecdsaP256();
        int length = profile.keyingMaterialLength();
        RecordingHandler events = new RecordingHandler();
        DtlsConfig config = Interop.server(key).cipherSuites(SUITE)
                .srtpProfiles(List.of(SrtpProfile.values())).build();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(), config, events).start();
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", server.localAddress().getPort(), List.of(
                     "-cipher", SUITE, "-CAfile", key.certPem().toString(), "-verify_return_error", "-nocommands",
                     "-use_srtp", profile.name(), "-keymatexport", SrtpKeyingMaterial.EXPORTER_LABEL,
                     "-keymatexportlen", String.valueOf(length)))) {
            DtlsSession session = events.awaitHandshake(WAIT).session();
            assertEquals(profile, session.srtpProfile());
            client.awaitLine(("SRTP Extension negotiated, profile=" + profile.name())::equals, WAIT);
            byte[] openssl = keyingMaterial(client);
            assertArrayEquals(openssl, session.exportKeyingMaterial(SrtpKeyingMaterial.EXPORTER_LABEL, null, length));
            assertSplit(profile, openssl, session.srtpKeyingMaterial());
            client.closeStdin();
            assertNull(events.awaitClosed(WAIT).failure());
        }
    }

    /** Any label, 32 bytes, with a SHA-256 and a SHA-384 PRF suite, no use_srtp. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384"})
    void arbitraryLabelExportMatchesBothWays(String suiteName) throws Exception {
        String label = "EXPERIMENTAL-dtlsip";
        TestPki.Material key = TestPki.ecdsaP256();
        assertEquals(suiteName, CipherSuite.byName(suiteName).opensslName);

        int port = OpenSslPeer.freeUdpPort();
        try (OpenSslPeer server = OpenSslPeer.server(port, key, "-cipher", suiteName,
                "-keymatexport", label, "-keymatexportlen", "32")) {
            try (DtlsClient client = DtlsClient.connect(Interop.loopback(port),
                    Interop.clientPinning(key).cipherSuites(suiteName).build())) {
                assertNull(client.session().srtpProfile(), "no use_srtp offered");
                server.awaitLine(("    Label: '" + label + "'")::equals, WAIT);
                assertArrayEquals(keyingMaterial(server), client.session().exportKeyingMaterial(label, null, 32));
            }
        }

        RecordingHandler events = new RecordingHandler();
        try (DtlsServer server = DtlsServer.bind(Interop.anyLoopbackPort(),
                Interop.server(key).cipherSuites(suiteName).build(), events).start();
             OpenSslPeer client = OpenSslPeer.client("127.0.0.1", server.localAddress().getPort(), List.of(
                     "-cipher", suiteName, "-CAfile", key.certPem().toString(), "-verify_return_error",
                     "-nocommands", "-keymatexport", label, "-keymatexportlen", "32"))) {
            DtlsSession session = events.awaitHandshake(WAIT).session();
            assertNull(session.srtpProfile());
            assertArrayEquals(keyingMaterial(client), session.exportKeyingMaterial(label, null, 32));
            client.closeStdin();
            assertNull(events.awaitClosed(WAIT).failure());
        }
    }

    private static byte[] keyingMaterial(OpenSslPeer peer) {
        String line = peer.awaitLine(l -> l.startsWith(KEYING_MATERIAL), WAIT);
        String hex = line.substring(KEYING_MATERIAL.length()).trim();
        assertEquals(hex.toUpperCase(java.util.Locale.ROOT), hex, "openssl prints uppercase hex");
        return HexFormat.of().parseHex(hex);
    }

    /** RFC 5764 4.2: client key, server key, client salt, server salt. */
    private static void assertSplit(SrtpProfile profile, byte[] material, SrtpKeyingMaterial split) {
        int k = profile.keyLength;
        int s = profile.saltLength;
        assertEquals(material.length, 2 * (k + s));
        assertEquals(profile, split.profile());
        assertArrayEquals(Arrays.copyOfRange(material, 0, k), split.clientKey());
        assertArrayEquals(Arrays.copyOfRange(material, k, 2 * k), split.serverKey());
        assertArrayEquals(Arrays.copyOfRange(material, 2 * k, 2 * k + s), split.clientSalt());
        assertArrayEquals(Arrays.copyOfRange(material, 2 * k + s, 2 * (k + s)), split.serverSalt());
    }
}

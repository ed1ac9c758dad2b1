package org.dtlsip.dtls.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14: a client offers DTLS 1.3 and 1.2 by default and a server accepts both, except where
 * the configuration asks for something only our DTLS 1.2 provides; named versions are kept.
 */
class DefaultProtocolsTest {
    private static final List<Integer> BOTH = List.of(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2);
    private static final List<Integer> ONLY_1_2 = List.of(ProtocolVersion.DTLS_1_2);

    @Test
    void plainClientsServersAndPeersSpeakBothVersions() {
        assertEquals(BOTH, DtlsConfig.forClient().build().protocolVersions());
        assertEquals(BOTH, DtlsConfig.forServer().certifiedKey(TestKeys.ec()).build().protocolVersions());
        assertEquals(BOTH, DtlsConfig.forClientAndServer().certifiedKey(TestKeys.ec()).build().protocolVersions());
        assertFalse(DtlsConfig.forClient().build().protocolsNamed());
    }

    static Stream<Arguments> dtls12OnlyFeatures() {
        return Stream.of(
                Arguments.of("client with an external PSK",
                        (UnaryOperator<DtlsConfig.Builder>) b -> DtlsConfig.forClient().psk(new byte[] {1}, new byte[] {1, 2, 3, 4})),
                Arguments.of("server with a PSK store and no certificate",
                        (UnaryOperator<DtlsConfig.Builder>) b -> DtlsConfig.forServer().pskStore(id -> null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtls12OnlyFeatures")
    void whatOnlyDtls12ProvidesKeepsTheDefaultAtDtls12(String name, UnaryOperator<DtlsConfig.Builder> config) {
        DtlsConfig c = config.apply(null).build();
        assertEquals(ONLY_1_2, c.protocolVersions(), name);
        assertTrue(c.dtls12());
        assertFalse(c.dtls13());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtls12OnlyFeatures")
    void namedVersionsAreKeptWhateverElseIsConfigured(String name, UnaryOperator<DtlsConfig.Builder> config) {
        DtlsConfig c = config.apply(null).protocols(ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3).build();
        assertEquals(BOTH, c.protocolVersions(), name);
        assertTrue(c.protocolsNamed());
    }

    @Test
    void connectionIdsSpeakBothVersions() {
        // DTLS 1.3 has connection IDs (RFC 9147 9) and the return routability check (RFC 9853).
        assertEquals(BOTH, DtlsConfig.forClient().connectionIdLength(4).build().protocolVersions());
        assertEquals(BOTH, DtlsConfig.forClient().emptyConnectionId().build().protocolVersions());
        assertEquals(BOTH, DtlsConfig.forServer().certifiedKey(TestKeys.ec()).connectionIdLength(4).build().protocolVersions());
    }

    @Test
    void aServerWithACertificateAndAPskStoreSpeaksBoth() {
        // 1.2 PSK clients offer no 1.3; certificate clients get 1.3.
        assertEquals(BOTH, DtlsConfig.forServer().certifiedKey(TestKeys.ec()).pskStore(id -> null).build().protocolVersions());
    }

    @Test
    void resumingADtls12SessionIsDtls12Only() {
        DefaultProtocols.Facts resuming = new DefaultProtocols.Facts(false, true, false, true, false);
        assertEquals(List.of("resuming a DTLS 1.2 session"), DefaultProtocols.reasonsToLeaveOutDtls13(resuming));
        assertEquals(ONLY_1_2, DefaultProtocols.choose(resuming));
    }

    @Test
    void toBuilderChoosesDefaultVersionsAgainButKeepsNamedOnes() {
        DtlsConfig byDefault = DtlsConfig.forClient().build();
        assertEquals(ONLY_1_2, byDefault.toBuilder().psk(new byte[] {1}, new byte[] {1, 2, 3, 4}).build().protocolVersions());
        DtlsConfig named = DtlsConfig.forClient().protocols(ProtocolVersion.DTLS_1_3).build();
        assertEquals(List.of(ProtocolVersion.DTLS_1_3),
                named.toBuilder().psk(new byte[] {1}, new byte[] {1, 2, 3, 4}).build().protocolVersions());
    }
}

package org.dtlsip.dtls.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.ResumableSession;
import org.dtlsip.dtls.engine.SessionCache;
import org.dtlsip.dtls.engine.SessionTicketKeys;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An option that does not apply to the role a configuration is built for is an error at
 * {@link DtlsConfig.Builder#build()}, naming it and the way out, instead of being silently
 * ignored (issue 12).
 */
class DtlsConfigRoleTest {
    private static final byte[] ID = {1};
    private static final byte[] KEY = {1, 2, 3, 4};

    static Stream<Arguments> serverOptions() {
        return Stream.of(
                Arguments.of("cookieExchange", (UnaryOperator<DtlsConfig.Builder>) b -> b.cookieExchange(false)),
                Arguments.of("cookieSecretLifetimeMillis", (UnaryOperator<DtlsConfig.Builder>) b -> b.cookieSecretLifetimeMillis(1)),
                Arguments.of("clientAuth", (UnaryOperator<DtlsConfig.Builder>) b -> b.clientAuth(DtlsConfig.ClientAuth.NEED)),
                Arguments.of("pskStore", (UnaryOperator<DtlsConfig.Builder>) b -> b.pskStore(id -> null)),
                Arguments.of("pskIdentityHint", (UnaryOperator<DtlsConfig.Builder>) b -> b.pskIdentityHint(ID)),
                Arguments.of("sniCertificate", (UnaryOperator<DtlsConfig.Builder>) b -> b.sniCertificate("a.example", TestKeys.ec())),
                Arguments.of("sessionCache", (UnaryOperator<DtlsConfig.Builder>) b -> b.sessionCache(SessionCache.withDefaults())),
                Arguments.of("sessionTickets", (UnaryOperator<DtlsConfig.Builder>) b -> b.sessionTickets(false)),
                Arguments.of("sessionTicketKeys", (UnaryOperator<DtlsConfig.Builder>) b -> b.sessionTicketKeys(
                        SessionTicketKeys.withDefaults(new java.security.SecureRandom()))));
    }

    static Stream<Arguments> clientOptions() {
        return Stream.of(
                Arguments.of("psk", (UnaryOperator<DtlsConfig.Builder>) b -> b.psk(ID, KEY)),
                Arguments.of("serverName", (UnaryOperator<DtlsConfig.Builder>) b -> b.serverName("a.example")),
                Arguments.of("requestSessionTickets", (UnaryOperator<DtlsConfig.Builder>) b -> b.requestSessionTickets(true)),
                Arguments.of("resumeSession", (UnaryOperator<DtlsConfig.Builder>) b -> b.resumeSession((ResumableSession) null)),
                Arguments.of("expectedServerName", (UnaryOperator<DtlsConfig.Builder>) b -> b.expectedServerName("a.example")),
                Arguments.of("serverIdentity", (UnaryOperator<DtlsConfig.Builder>) b -> b.serverIdentity(null)),
                Arguments.of("noServerNameCheck", (UnaryOperator<DtlsConfig.Builder>) DtlsConfig.Builder::noServerNameCheck));
    }

    @ParameterizedTest(name = "Client-Refuses-{0}")
    @MethodSource("serverOptions")
    void aServerOptionOnAClientConfigurationIsRefused(String name, UnaryOperator<DtlsConfig.Builder> option) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> option.apply(TestKeys.clientPinning(TestKeys.ec())).build());
        assertTrue(e.getMessage().startsWith(name + "(...) applies to servers only, but this builder is DtlsConfig.forClient()"),
                e.getMessage());
        assertTrue(e.getMessage().contains("forServer() or forClientAndServer()"), e.getMessage());
        option.apply(TestKeys.server(TestKeys.ec())).build();
        option.apply(DtlsConfig.forClientAndServer().certifiedKey(TestKeys.ec())).build();
    }

    @ParameterizedTest(name = "Server-Refuses-{0}")
    @MethodSource("clientOptions")
    void aClientOptionOnAServerConfigurationIsRefused(String name, UnaryOperator<DtlsConfig.Builder> option) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> option.apply(TestKeys.server(TestKeys.ec())).build());
        assertTrue(e.getMessage().startsWith(name + "(...) applies to clients only, but this builder is DtlsConfig.forServer()"),
                e.getMessage());
        option.apply(TestKeys.clientPinning(TestKeys.ec())).build();
        option.apply(DtlsConfig.forClientAndServer().certifiedKey(TestKeys.ec())).build();
    }

    @Test
    void everyMisplacedOptionIsNamedAtOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TestKeys.clientPinning(TestKeys.ec()).cookieExchange(false).pskStore(id -> null).build());
        assertTrue(e.getMessage().startsWith("cookieExchange(...), pskStore(...) apply to servers only"), e.getMessage());
    }

    @Test
    void aServerConfigurationWithoutCredentialsIsRefusedWhenBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DtlsConfig.forServer().build());
        assertTrue(e.getMessage().contains("needs a certificate and key or a PSK store"), e.getMessage());
        DtlsConfig.forServer().pskStore(id -> null).build();
    }

    @Test
    void anEngineOfTheOtherRoleIsRefused() {
        DtlsConfig client = TestKeys.clientPinning(TestKeys.ec()).build();
        DtlsConfig server = TestKeys.server(TestKeys.ec()).build();
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> DtlsEngine.server(client, new CookieExchange.Accept(0, 0), 0));
        assertTrue(s.getMessage().contains("built with DtlsConfig.forClient() and cannot serve"), s.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CookieExchange(client));
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> DtlsEngine.client(server, 0));
        assertTrue(c.getMessage().contains("built with DtlsConfig.forServer() and cannot open associations as a client"),
                c.getMessage());
        DtlsConfig both = DtlsConfig.forClientAndServer().certifiedKey(TestKeys.ec())
                .peerVerifier(client.peerVerifier()).build();
        DtlsEngine.client(both, 0);
        DtlsEngine.server(both, new CookieExchange.Accept(0, 0), 0);
    }

    @Test
    void toBuilderKeepsTheRoleAndOnlyServersMakeTicketKeys() {
        DtlsConfig server = TestKeys.server(TestKeys.ec()).build();
        assertEquals(DtlsConfig.Role.SERVER, server.toBuilder().build().role());
        assertThrows(IllegalArgumentException.class, () -> server.toBuilder().serverName("a.example").build());
        assertTrue(server.sessionTicketKeys() != null);
        assertNull(TestKeys.clientPinning(TestKeys.ec()).build().sessionTicketKeys(), "a client seals no tickets");
    }
}

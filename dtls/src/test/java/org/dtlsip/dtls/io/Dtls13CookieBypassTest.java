package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * RFC 9147 5.1: no per-client state before the cookie returns. A DTLS 1.3 ClientHello the
 * server would refuse (no suite or group in common) used to be accepted without a cookie, so
 * that an association could answer with the alert: an off-path attacker spoofing any address
 * then created associations at will and, from the address of an established peer, superseded
 * that peer's pending new handshake. The refusal is now a stateless alert, never larger than
 * the hello.
 */
class Dtls13CookieBypassTest {
    private static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec())
            .protocols(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2).build();
    private static final DtlsConfig CLIENT = TestKeys.clientPinning(TestKeys.ec())
            .protocols(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2).build();
    private static final ServerLimits LIMITS = ServerLimits.defaults().withHandshakeDeadlineMillis(5_000);

    /** A first ClientHello offering DTLS 1.3 with only a suite the server does not take (CCM_8 is never on by default). */
    private static byte[] unacceptableHello(long now) {
        DtlsConfig config = TestKeys.clientPinning(TestKeys.ec()).protocols(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2)
                .tls13CipherSuites(List.of(Tls13CipherSuite.TLS_AES_128_CCM_8_SHA256)).build();
        return DtlsEngine.client(config, now).pollDatagram();
    }

    @Test
    void Rfc9147_5_1_SpoofedUnacceptableHello_CreatesNoAssociationAndAnswersStatelessly() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, LIMITS);
        InetSocketAddress victim = MemoryNet.address(7);
        byte[] hello = unacceptableHello(net.now);
        for (int i = 0; i < 100; i++) {
            net.server.receive(victim, hello, net.now);
        }
        assertEquals(0, net.server.stats().handshakesFailed(), "no association was created for an unverified address");
        assertEquals(0, net.server.stats().associations());
        assertTrue(net.largestToClient.getOrDefault(victim, 0) <= hello.length, "never more bytes than arrived");
        assertEquals(100, net.datagramsToClients, "each hello answered with one alert");
    }

    @Test
    void Rfc9147_5_1_SpoofedUnacceptableHello_DoesNotSupersedeAPendingHandshake() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, LIMITS);
        InetSocketAddress peer = net.establish(1, 1, CLIENT).get(0);
        DtlsServer.Association old = net.server.association(peer);
        net.halfOpenClient(peer, CLIENT); // the peer restarted; its new handshake is pending
        net.run();
        assertEquals(2, net.server.stats().associations(), "the old association and the pending new handshake");

        net.server.receive(peer, unacceptableHello(net.now), net.now);
        net.run();
        assertTrue(net.recorder.closed.isEmpty(), () -> "nothing was superseded: " + net.recorder.closed);
        assertEquals(2, net.server.stats().associations());
        assertSame(old, net.server.association(peer));
    }

    @Test
    void Rfc8446_4_1_1_ClientWithNoSuiteInCommon_GetsHandshakeFailureFromTheFrontDoor() {
        MemoryNet net = new MemoryNet(SERVER, LIMITS);
        InetSocketAddress at = MemoryNet.address(3);
        DtlsEngine client = net.client(at, TestKeys.clientPinning(TestKeys.ec())
                .protocols(ProtocolVersion.DTLS_1_3).tls13CipherSuites(List.of(Tls13CipherSuite.TLS_AES_128_CCM_8_SHA256)).build());
        net.run();
        assertEquals(DtlsEngine.Status.FAILED, client.status());
        assertEquals(org.dtlsip.dtls.engine.AlertDescription.HANDSHAKE_FAILURE, client.failure().alert(),
                client.failure().getMessage());
        assertEquals(0, net.server.stats().handshakesFailed());
    }
}

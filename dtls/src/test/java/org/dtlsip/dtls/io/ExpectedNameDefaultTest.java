package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.ServiceIdentity;
import org.dtlsip.dtls.crypto.TestCertificate;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The name a client expects by default is the host it connects to (RFC 9525), and deriving it
 * never stops a client that checks no name from connecting.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ExpectedNameDefaultTest {
    private static final CertifiedKey CA = TestCertificate.ca("expected name CA");
    private static final CertifiedKey SERVER = TestCertificate.leaf("loopback").ip("::1").issuedBy(CA).build();

    @Test
    void aScopedIpv6AddressIsCheckedWithoutItsZone() throws Exception {
        // The zone (%1: an interface on this host) is no part of the address a certificate names.
        try (DtlsServer server = DtlsServer.bind(new InetSocketAddress("::1", 0), TestKeys.server(SERVER).build(),
                (a, d) -> { }).start()) {
            InetAddress scoped = Inet6Address.getByAddress(null, InetAddress.getByName("::1").getAddress(), 1);
            InetSocketAddress to = new InetSocketAddress(scoped, server.localAddress().getPort());
            DtlsConfig pinned = TestKeys.clientPinning(SERVER).build();
            try (DtlsClient c = DtlsClient.connect(to, pinned)) {
                assertEquals(SERVER.leaf(), c.session().peerCertificates().get(0));
            }
            DtlsConfig trusting = DtlsConfig.forClient().peerVerifier(PeerVerifier.pkix(List.of(CA.leaf()))).build();
            try (DtlsClient c = DtlsClient.connect(to, trusting)) {
                assertEquals(SERVER.leaf(), c.session().peerCertificates().get(0));
            }
        }
        assertEquals(ServiceIdentity.of("::1"), ServiceIdentity.of("::1%1"));
        assertEquals(ServiceIdentity.of("fe80::1"), ServiceIdentity.of("[fe80::1%eth0]"), "no interface is looked up");
    }

    @Test
    void aHostThatIsNoDnsNameStopsOnlyAClientThatChecksNames() {
        // e.g. a container name with an underscore, resolved through /etc/hosts
        DtlsConfig pinned = TestKeys.clientPinning(SERVER).build();
        assertSame(pinned, pinned.forHost("sip_proxy"), "a pin checks no name");
        DtlsConfig psk = DtlsConfig.forClient().psk("id".getBytes(), new byte[16]).build();
        assertSame(psk, psk.forHost("sip_proxy"));
        DtlsConfig trusting = DtlsConfig.forClient().peerVerifier(PeerVerifier.pkix(List.of(CA.leaf()))).build();
        assertThrows(IllegalArgumentException.class, () -> trusting.forHost("sip_proxy"));
        assertEquals(ServiceIdentity.of("sip.example.com"), pinned.forHost("sip.example.com").serverIdentity(),
                "a valid name is still taken, for server_name");
    }
}

package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.ServiceIdentity;
import org.dtlsip.dtls.crypto.TestCertificate;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/**
 * {@link DtlsServer#connect} with a server identity to check never hands back an association
 * whose peer was not checked for that identity: one the peer opened to us (its server never
 * authenticated, perhaps no certificate at all), or one opened to check another name.
 */
class ServerConnectIdentityTest {
    private static final CertifiedKey CA = TestCertificate.ca("connect identity CA");
    /** It accepts and opens associations (DtlsServer.connect): a client-and-server configuration. */
    private static final DtlsConfig SERVER = TestKeys.peer(TestCertificate.leaf("us").dns("us.example").issuedBy(CA).build())
            .peerVerifier(PeerVerifier.pkix(List.of(CA.leaf()))).build();
    private static final InetSocketAddress PEER = MemoryNet.address(1);

    @Test
    void anAssociationThePeerOpenedIsNotReturnedAsAServerCheckedForAName() {
        MemoryNet net = new MemoryNet(SERVER, ServerLimits.defaults());
        // An anonymous client at PEER (no certificate: the server does not ask for one).
        net.establish(1, 1, TestKeys.clientPinning(SERVER.certifiedKey()).build());
        DtlsServer.Association inbound = net.server.association(PEER);
        assertTrue(inbound.isEstablished() && !inbound.isClient());
        IOException e = assertThrows(IOException.class,
                () -> net.server.connect(PEER, ServiceIdentity.of("bank.example")));
        assertTrue(e.getMessage().contains("bank.example") && e.getMessage().contains(PEER.toString()), e.getMessage());
        IOException byName = assertThrows(IOException.class, () -> net.server.connect(PEER));
        assertTrue(byName.getMessage().contains("opened by the peer"), byName.getMessage());
        assertSame(inbound, net.server.association(PEER), "the peer's association is left as it is");
    }

    @Test
    void anAssociationOpenedForOneNameIsNotReturnedForAnother() throws IOException {
        MemoryNet net = new MemoryNet(SERVER, ServerLimits.defaults());
        DtlsServer.Association a = net.server.connect(PEER, ServiceIdentity.of("a.example"));
        assertTrue(a.isClient());
        assertSame(a, net.server.connect(PEER, ServiceIdentity.of("A.example.")), "the same name: the same association");
        IOException e = assertThrows(IOException.class, () -> net.server.connect(PEER, ServiceIdentity.of("b.example")));
        assertTrue(e.getMessage().contains("a.example") && e.getMessage().contains("b.example"), e.getMessage());
        assertFalse(a.isEstablished());
        assertEquals(1, net.server.stats().associations());
    }
}

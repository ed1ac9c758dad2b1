package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.junit.jupiter.api.Test;

/** Handshakes from one configuration share its cache of peer keys; every handshake still completes. */
class VerificationKeyReuseTest {

    private static void handshake(DtlsConfig client, DtlsConfig server, long seed) {
        SimulatedNetwork net = new SimulatedNetwork(client, server, SimulatedNetwork.Conditions.perfect(), seed);
        assertTrue(net.runHandshake(10_000), () -> net.client().failure() + " / " + net.server().failure());
    }

    @Test
    void aClientKeepsOneKeyPerServerAcrossHandshakes() {
        CertifiedKey other = SelfSigned.ecdsa("dtlsip other server", NamedGroup.SECP256R1);
        DtlsConfig client = DtlsConfig.forClient().peerVerifier(PeerVerifier.fingerprints(List.of(
                Fingerprint.sha256(TestKeys.ec().leaf()), Fingerprint.sha256(other.leaf())))).build();
        DtlsConfig server = TestKeys.server(TestKeys.ec()).build();
        for (int i = 0; i < 6; i++) {
            handshake(client, server, i);
        }
        assertEquals(1, client.verificationKeyCache().size());
        handshake(client, TestKeys.server(other).build(), 7);
        assertEquals(2, client.verificationKeyCache().size());
        assertEquals(0, server.verificationKeyCache().size(), "no client certificate, nothing to verify");
    }

    @Test
    void aServerKeepsTheKeysOfAuthenticatedClients() {
        CertifiedKey clientKey = SelfSigned.ecdsa("dtlsip test client", NamedGroup.SECP256R1);
        DtlsConfig server = TestKeys.server(TestKeys.ec()).clientAuth(DtlsConfig.ClientAuth.NEED)
                .peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.sha256(clientKey.leaf())))).build();
        for (int i = 0; i < 5; i++) {
            // A new client configuration each time: only the server's cache is shared.
            handshake(TestKeys.clientPinning(TestKeys.ec()).certifiedKey(clientKey).build(), server, i);
        }
        assertEquals(1, server.verificationKeyCache().size());
    }
}

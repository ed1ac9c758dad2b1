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
import org.dtlsip.dtls.record.ProtocolVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Handshakes from one configuration share its cache of peer keys, in DTLS 1.2 (ServerKeyExchange,
 * CertificateVerify) and 1.3 (CertificateVerify both ways); every handshake still completes.
 */
class VerificationKeyReuseTest {

    private static void handshake(DtlsConfig client, DtlsConfig server, long seed, int version) {
        SimulatedNetwork net = new SimulatedNetwork(client, server, SimulatedNetwork.Conditions.perfect(), seed);
        assertTrue(net.runHandshake(10_000), () -> net.client().failure() + " / " + net.server().failure());
        assertEquals(version, net.client().session().version(), "the protocol under test was negotiated");
    }

    @ParameterizedTest(name = "version 0x{0}")
    @ValueSource(ints = {ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3})
    void aClientKeepsOneKeyPerServerAcrossHandshakes(int version) {
        CertifiedKey other = SelfSigned.ecdsa("dtlsip other server", NamedGroup.SECP256R1);
        DtlsConfig client = DtlsConfig.forClient().protocols(version).peerVerifier(PeerVerifier.fingerprints(List.of(
                Fingerprint.sha256(TestKeys.ec().leaf()), Fingerprint.sha256(other.leaf())))).build();
        DtlsConfig server = TestKeys.server(TestKeys.ec()).protocols(version).build();
        for (int i = 0; i < 6; i++) {
            handshake(client, server, i, version);
        }
        assertEquals(1, client.verificationKeyCache().size());
        handshake(client, TestKeys.server(other).protocols(version).build(), 7, version);
        assertEquals(2, client.verificationKeyCache().size());
        assertEquals(0, server.verificationKeyCache().size(), "no client certificate, nothing to verify");
    }

    @ParameterizedTest(name = "version 0x{0}")
    @ValueSource(ints = {ProtocolVersion.DTLS_1_2, ProtocolVersion.DTLS_1_3})
    void aServerKeepsTheKeysOfAuthenticatedClients(int version) {
        CertifiedKey clientKey = SelfSigned.ecdsa("dtlsip test client", NamedGroup.SECP256R1);
        DtlsConfig server = TestKeys.server(TestKeys.ec()).protocols(version).clientAuth(DtlsConfig.ClientAuth.NEED)
                .peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.sha256(clientKey.leaf())))).build();
        for (int i = 0; i < 5; i++) {
            // A new client configuration each time: only the server's cache is shared.
            handshake(TestKeys.clientPinning(TestKeys.ec()).protocols(version).certifiedKey(clientKey).build(), server, i,
                    version);
        }
        assertEquals(1, server.verificationKeyCache().size());
    }
}

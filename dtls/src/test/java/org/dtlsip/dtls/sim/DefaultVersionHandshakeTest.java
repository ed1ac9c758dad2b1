package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: two configurations that name no versions settle on DTLS 1.3 (RFC 8446 4.2.1); one
 * that keeps DTLS 1.2 for a 1.2-only feature still meets a default peer, in DTLS 1.2.
 */
class DefaultVersionHandshakeTest {
    private static DtlsConfig.Builder defaultClient(CertifiedKey key) {
        return DtlsConfig.forClient().peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.sha256(key.leaf()))));
    }

    private static SimulatedNetwork handshake(DtlsConfig client, DtlsConfig server) {
        SimulatedNetwork net = new SimulatedNetwork(client, server, SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(net.runHandshake(10_000), () -> "handshake did not complete: " + net.client().failure());
        return net;
    }

    @Test
    void defaultClientAndDefaultServerSpeakDtls13() {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = handshake(defaultClient(key).build(), DtlsConfig.forServer().certifiedKey(key).build());
        assertEquals("DTLSv1.3", net.client().session().protocol());
        assertEquals("DTLSv1.3", net.server().session().protocol());
        assertEquals("TLS_AES_128_GCM_SHA256", net.client().session().ianaCipherSuiteName());
    }

    @Test
    void defaultPeersWithConnectionIdsAgreeOnThemAndRrcInDtls13() {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = handshake(defaultClient(key).connectionIdLength(4).build(),
                DtlsConfig.forServer().certifiedKey(key).connectionIdLength(4).build());
        assertEquals("DTLSv1.3", net.server().session().protocol());
        assertTrue(net.server().session().connectionIdNegotiated());
        assertTrue(net.server().session().returnRoutabilityCheck(), "RFC 9853, in EncryptedExtensions");
        assertTrue(net.client().session().returnRoutabilityCheck());
    }

    @Test
    void aClientKeptAtDtls12ByAnExternalPskMeetsADefaultServerInDtls12() {
        DtlsConfig client = DtlsConfig.forClient().psk(new byte[] {1}, new byte[16]).cipherSuites("PSK-AES128-GCM-SHA256").build();
        assertEquals(List.of(ProtocolVersion.DTLS_1_2), client.protocolVersions());
        SimulatedNetwork net = handshake(client, DtlsConfig.forServer().certifiedKey(TestKeys.ec())
                .cipherSuites("ECDHE-ECDSA-AES128-GCM-SHA256:PSK-AES128-GCM-SHA256").pskStore(id -> new byte[16]).build());
        assertEquals("DTLSv1.2", net.server().session().protocol());
    }
}

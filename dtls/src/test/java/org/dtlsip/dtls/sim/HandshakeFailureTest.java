package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.junit.jupiter.api.Test;

/** Handshakes that must fail: each fails fast, sends the RFC's alert, and says why in one line. */
class HandshakeFailureTest {
    private static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).build();

    private static SimulatedNetwork run(DtlsConfig client, DtlsConfig server) {
        SimulatedNetwork net = new SimulatedNetwork(client, server, SimulatedNetwork.Conditions.perfect(), 11);
        net.runHandshake(10_000);
        net.runUntil(net.now() + 100);
        return net;
    }

    @Test
    void wrongPinnedFingerprintSendsBadCertificate() {
        CertifiedKey other = SelfSigned.ecdsa("someone else", NamedGroup.SECP256R1);
        DtlsConfig client = DtlsConfig.forClient()
                .peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.sha256(other.leaf())))).build();
        SimulatedNetwork net = run(client, SERVER);

        DtlsException local = net.client().failure();
        assertEquals(AlertDescription.BAD_CERTIFICATE, local.alert());
        assertTrue(local.getMessage().startsWith("handshake failed: server certificate rejected"), local.getMessage());
        assertTrue(local.getMessage().contains("(sent fatal alert bad_certificate)"), local.getMessage());
        DtlsException remote = net.server().failure();
        assertEquals("handshake failed: received fatal alert bad_certificate", remote.getMessage());
        assertTrue(remote.alertReceived());
        assertTrue(net.now() < 100, "fails at once, not by timeout");
    }

    @Test
    void untrustedChainSendsUnknownCa() {
        CertifiedKey otherCa = SelfSigned.ecdsaCa("unrelated CA");
        DtlsConfig client = DtlsConfig.forClient().peerVerifier(PeerVerifier.pkix(List.of(otherCa.leaf())))
                .expectedServerName("server.example").build();
        SimulatedNetwork net = run(client, SERVER);
        assertEquals(AlertDescription.UNKNOWN_CA, net.client().failure().alert());
        assertEquals("handshake failed: received fatal alert unknown_ca", net.server().failure().getMessage());
    }

    @Test
    void chainIssuedByTrustedCaIsAccepted() {
        CertifiedKey ca = SelfSigned.ecdsaCa("test CA");
        CertifiedKey leaf = SelfSigned.issuedBy(ca, "server.example", NamedGroup.SECP256R1);
        DtlsConfig client = DtlsConfig.forClient().peerVerifier(PeerVerifier.pkix(List.of(ca.leaf())))
                .expectedServerName("server.example").build();
        SimulatedNetwork net = run(client, TestKeys.server(leaf).build());
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.client().status());
        assertEquals(2, net.client().session().peerCertificates().size());
    }

    @Test
    void noCommonSuiteSendsHandshakeFailure() {
        DtlsConfig client = TestKeys.clientPinning(TestKeys.ec())
                .cipherSuites(List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)).build();
        DtlsConfig server = TestKeys.server(TestKeys.ec())
                .cipherSuites(List.of(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)).build();
        SimulatedNetwork net = run(client, server);
        assertEquals("handshake failed: received fatal alert handshake_failure", net.client().failure().getMessage());
        DtlsException local = net.server().failure();
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, local.alert());
        assertTrue(local.getMessage().contains("no cipher suite in common"), local.getMessage());
    }

    @Test
    void rsaOnlyClientAgainstEcdsaServerFindsNoSuite() {
        DtlsConfig client = TestKeys.clientPinning(TestKeys.ec())
                .cipherSuites(List.of(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)).build();
        SimulatedNetwork net = run(client, SERVER);
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, net.client().failure().alert());
    }

    @Test
    void clientWithoutAnyVerifierFailsWithAnExplanation() {
        SimulatedNetwork net = run(DtlsConfig.forClient().build(), SERVER);
        assertTrue(net.client().failure().getMessage().contains("-CAfile"), net.client().failure().getMessage());
    }
}

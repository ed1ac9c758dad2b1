package org.dtlsip.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.Pem;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 (the samples' cold first call): a stack's properties make only the credentials its transports
 * use. No certificate at all for UDP, the PEM pair and no PKCS#12 store for a pinning DTLS-UDP
 * client, the key store for TLS (the RI builds its TLS context from it) and for a DTLS-UDP
 * server that checks no client (its trust anchor).
 */
class CredentialsLazyTest {
    private static final String PIN = Credentials.fingerprintOf(SelfSigned.ecdsa("peer", NamedGroup.SECP256R1).leaf());

    /** The files {@code creds} wrote for a stack on {@code t}, in {@code role}. */
    private static Set<String> filesFor(Credentials creds, SampleStack.Role role, Transport t) throws Exception {
        SampleStack.properties("lazy-test", role, creds, t == Transport.TLS, t == Transport.DTLS_UDP);
        return creds.filesWritten();
    }

    @Test
    void udpMakesNoCertificate() throws Exception {
        Credentials creds = Credentials.of(null, null, "uac", null, List.of());
        assertEquals(Set.of(), filesFor(creds, SampleStack.Role.CLIENT, Transport.UDP));
        assertFalse(creds.keyMade(), "a key pair generated for UDP");
    }

    @Test
    void aPinningDtlsClientWritesThePemPairAndNoKeyStore() throws Exception {
        Credentials creds = Credentials.of(null, null, "uac", null, List.of(PIN));
        assertEquals(Set.of("cert.pem", "key.pem"), filesFor(creds, SampleStack.Role.CLIENT, Transport.DTLS_UDP));
    }

    @Test
    void aTrustingDtlsClientWritesTheTrustStoreAndNoKeyStore(@TempDir Path dir) throws Exception {
        Path ca = dir.resolve("ca.pem");
        Pem.writeCertificates(ca, List.of(SelfSigned.ecdsaCa("test CA").leaf()));
        Credentials creds = Credentials.of(null, null, "uac", ca, List.of());
        assertEquals(Set.of("cert.pem", "key.pem", "trust.p12"), filesFor(creds, SampleStack.Role.CLIENT, Transport.DTLS_UDP));
    }

    @Test
    void tlsAndAnUncheckingDtlsServerWriteTheKeyStore() throws Exception {
        Credentials tls = Credentials.of(null, null, "uac", null, List.of(PIN));
        assertTrue(filesFor(tls, SampleStack.Role.CLIENT, Transport.TLS).contains("key.p12"));
        Credentials server = Credentials.of(null, null, "uas", null, List.of());
        assertEquals(Set.of("cert.pem", "key.pem", "key.p12"), filesFor(server, SampleStack.Role.SERVER, Transport.DTLS_UDP));
        assertTrue(Files.isRegularFile(server.keyStore()));
    }
}

package org.dtlsip.dtls.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.Pem;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.io.DtlsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the DTLS snippets of the docs against each other on loopback. */
@Timeout(60)
class SnippetsRunTest {
    @Test
    void serverClientEngineAndPeerIdentitySnippetsWork(@TempDir Path dir) throws Exception {
        CertifiedKey key = SelfSigned.ecdsa("snippet server", NamedGroup.SECP256R1);
        Path cert = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        Pem.writeCertificates(cert, key.chain());
        Pem.writePrivateKey(keyFile, key.privateKey());
        String fingerprint = Fingerprint.format(Fingerprint.sha256(key.leaf()));
        try (DtlsServer server = DtlsSnippets.echoServer(cert, keyFile, 0)) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.localAddress().getPort());
            assertEquals("hello", DtlsSnippets.client(address, fingerprint));

            DtlsConfig config = DtlsConfig.forClient()
                    .peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.parse(fingerprint)))).build();
            DtlsSession session = DtlsSnippets.engineLoop(address, config);
            String who = DtlsSnippets.describePeer(session);
            assertTrue(who.startsWith("CN=snippet server SHA-256 " + fingerprint + " over DTLSv1.3 TLS_AES_128_GCM_SHA256"), who);

            List<String> lines = DtlsSnippets.traced(address, fingerprint);
            assertTrue(lines.get(1).startsWith(">>>   ClientHello message_seq 0, "), lines.toString());
            assertTrue(lines.contains("<<<   Finished message_seq 5, fragment 0+32 of 32 (epoch 2)"), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.matches(">>> record epoch 3 seq \\d+: application_data, \\d+ bytes, encrypted")),
                    lines.toString());
        }
    }
}

package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.Pem;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.sip.docs.SipSnippets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the SIP snippets of the docs: OPTIONS over DTLS-UDP to a peer, the peer's identity, the failure reason. */
@Timeout(60)
class SipSnippetsRunTest {
    @Test
    void optionsOverDtlsUdpReportsThePeerOrWhyNot(@TempDir Path dir) throws Exception {
        Path[] alice = write(dir, "alice", SelfSigned.ecdsa("alice", NamedGroup.SECP256R1));
        CertifiedKey bobKey = SelfSigned.ecdsa("bob", NamedGroup.SECP256R1);
        Path[] bobFiles = write(dir, "bob", bobKey);
        Properties bobProps = new Properties();
        bobProps.setProperty(DtlsSipProperties.CERTIFICATE_FILE, bobFiles[0].toString());
        bobProps.setProperty(DtlsSipProperties.PRIVATE_KEY_FILE, bobFiles[1].toString());
        bobProps.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
        try (SipPeer bob = new SipPeer("bob", bobProps)) {
            String pin = Fingerprint.format(Fingerprint.sha256(bobKey.leaf()));
            String answer = SipSnippets.options(alice[0], alice[1], pin, "127.0.0.1:" + bob.port()).get(30, TimeUnit.SECONDS);
            assertEquals("200 CN=bob TLS_AES_128_GCM_SHA256", answer);

            String wrong = Fingerprint.format(Fingerprint.sha256(SelfSigned.ecdsa("eve", NamedGroup.SECP256R1).leaf()));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> SipSnippets.options(alice[0], alice[1], wrong, "127.0.0.1:" + bob.port()).get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().startsWith("DTLS association with 127.0.0.1:" + bob.port() + " failed: "),
                    e.getCause().getMessage());
            assertEquals(1, bob.requests.size(), "only the first OPTIONS reached bob");
        }
    }

    private static Path[] write(Path dir, String name, CertifiedKey key) throws Exception {
        Path cert = dir.resolve(name + "-cert.pem");
        Path pk = dir.resolve(name + "-key.pem");
        Pem.writeCertificates(cert, key.chain());
        Pem.writePrivateKey(pk, key.privateKey());
        return new Path[] {cert, pk};
    }
}

package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.Pem;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The samples' certificate checks as a new user runs them: {@code --trust} checks that the
 * server's certificate names the target's domain (RFC 5922) over DTLS-UDP and over the RI's
 * TLS, and a UAS given {@code --fingerprint} gets the UAC's certificate over TLS as over
 * DTLS-UDP.
 */
@Timeout(120)
class SampleTrustTest {
    @TempDir
    static Path dir;
    static CertifiedKey ca;
    static Path caPem;

    @BeforeAll
    static void pki() throws Exception {
        ca = SelfSigned.ecdsaCa("sample test CA");
        caPem = dir.resolve("ca.pem");
        Pem.writeCertificates(caPem, List.of(ca.leaf()));
    }

    /** A PEM pair {cert, key} issued by the CA (or self-signed if {@code issuer} is null) with these subjectAltNames. */
    private static Path[] files(String name, CertifiedKey issuer, List<String> names) throws Exception {
        CertifiedKey key = issuer == null ? SelfSigned.ecdsa(name, names, NamedGroup.SECP256R1)
                : SelfSigned.issuedBy(issuer, name, names, NamedGroup.SECP256R1);
        Path cert = dir.resolve(name + "-cert.pem");
        Path pk = dir.resolve(name + "-key.pem");
        Pem.writeCertificates(cert, key.chain());
        Pem.writePrivateKey(pk, key.privateKey());
        return new Path[] {cert, pk};
    }

    private static Uas uas(Path[] cert, Path trust, List<String> pins) throws Exception {
        Credentials creds = Credentials.of(cert[0], cert[1], "sample-uas", trust, pins);
        return Uas.start(creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0, Transport.TLS, 0), 0, true, new Captured().stream);
    }

    private static String target(Uas uas, String host, Transport t) {
        return "sip:uas@" + host + ":" + uas.port(t) + ";transport=" + t.uriParam();
    }

    private record Run(int status, String text) {
    }

    private static Run uac(String... args) {
        Captured out = new Captured();
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--no-progress", "--hold-ms", "0", "--timeout-ms", "5000")).toArray(String[]::new);
        int status = SampleUac.run(all, out.stream, out.stream);
        return new Run(status, out.text());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Transport.class, names = {"DTLS_UDP", "TLS"})
    void trustAcceptsAServerWhoseCertificateNamesTheTargetsDomain(Transport t) throws Exception {
        Uas uas = uas(files("uas-" + t.uriParam(), ca, List.of("sip:localhost")), null, List.of());
        try {
            Run c = uac("--target", target(uas, "localhost", t), "--trust", caPem.toString(), "--calls", "2");
            assertEquals(0, c.status(), c.text());
            assertTrue(c.text().contains("2 ok, 0 failed"), c.text());
        } finally {
            uas.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Transport.class, names = {"DTLS_UDP", "TLS"})
    void trustRefusesAServerWhoseCertificateIsForAnotherDomain(Transport t) throws Exception {
        Uas uas = uas(files("other-" + t.uriParam(), ca, List.of("sip:other.example")), null, List.of());
        try {
            Run c = uac("--target", target(uas, "localhost", t), "--trust", caPem.toString());
            assertEquals(1, c.status(), c.text());
            String expected = t == Transport.DTLS_UDP ? "DTLS handshake failed: server certificate rejected: "
                    : "TLS handshake failed: server certificate rejected: ";
            assertTrue(c.text().contains(expected + "the certificate's SIP domains are [other.example]"), c.text());
            assertTrue(c.text().contains("not 'localhost'"), c.text());
            if (t == Transport.DTLS_UDP) {
                assertTrue(c.text().contains("(sent fatal alert bad_certificate)"), c.text());
            }
            assertTrue(!c.text().contains("\tat "), "no stack trace");
        } finally {
            uas.close();
        }
    }

    @Test
    void trustingTheUassGeneratedCertificateWorksForItsAddress() throws Exception {
        // As a new user does it: trust the UAS's own self-signed certificate, call it by address.
        Path[] self = files("uas-self", null, SelfSigned.LOCAL_NAMES);
        Uas uas = uas(self, null, List.of());
        try {
            for (Transport t : List.of(Transport.DTLS_UDP, Transport.TLS)) {
                Run c = uac("--target", target(uas, "127.0.0.1", t), "--trust", self[0].toString());
                assertEquals(0, c.status(), c.text());
            }
        } finally {
            uas.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Transport.class, names = {"DTLS_UDP", "TLS"})
    void aUasGivenFingerprintRequiresAndGetsTheClientCertificate(Transport t) throws Exception {
        Path[] uasCert = files("pinned-uas-" + t.uriParam(), null, SelfSigned.LOCAL_NAMES);
        Path[] uacCert = files("pinned-uac-" + t.uriParam(), null, SelfSigned.LOCAL_NAMES);
        String uasFp = Credentials.fingerprintOf(Pem.readCertificates(uasCert[0]).get(0));
        String uacFp = Credentials.fingerprintOf(Pem.readCertificates(uacCert[0]).get(0));
        Uas uas = uas(uasCert, null, List.of(uacFp));
        try {
            Run ok = uac("--target", target(uas, "127.0.0.1", t), "--fingerprint", uasFp,
                    "--cert", uacCert[0].toString(), "--key", uacCert[1].toString(), "--calls", "2");
            assertEquals(0, ok.status(), ok.text());
            assertTrue(ok.text().contains("2 ok, 0 failed"), ok.text());

            // Without the pinned client certificate (a generated one instead) the UAS refuses.
            Run refused = uac("--target", target(uas, "127.0.0.1", t), "--fingerprint", uasFp);
            assertEquals(1, refused.status(), refused.text());
        } finally {
            uas.close();
        }
    }
}

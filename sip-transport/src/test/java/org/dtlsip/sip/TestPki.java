package org.dtlsip.sip;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.Pem;
import org.dtlsip.dtls.crypto.SelfSigned;

/** One test CA, leaf certificates it issues as PEM files, and a PKCS#12 trust store holding the CA. */
final class TestPki {
    static final String TRUST_PASSWORD = "changeit";
    private static TestPki shared;

    final Path dir;
    final CertifiedKey ca;
    final Path trustStore;

    private TestPki() throws IOException, GeneralSecurityException {
        dir = Files.createTempDirectory("dtlsip-sip-pki");
        dir.toFile().deleteOnExit();
        ca = SelfSigned.ecdsaCa("dtlsip test CA");
        trustStore = dir.resolve("trust.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.leaf());
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            ks.store(out, TRUST_PASSWORD.toCharArray());
        }
    }

    static synchronized TestPki get() {
        if (shared == null) {
            try {
                shared = new TestPki();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    /**
     * A leaf certificate for {@code name} issued by the CA: {cert.pem, key.pem}. Its
     * subjectAltName holds the DNS name {@code name} and the address the test peers listen on,
     * 127.0.0.1, which is what their URIs name.
     */
    Path[] issue(String name) {
        return issue(name, List.of(name, "127.0.0.1"));
    }

    /** A leaf certificate issued by the CA with exactly these subjectAltNames (DNS, IP or URI). */
    Path[] issue(String name, List<String> subjectAltNames) {
        return write(name + "-" + subjectAltNames.hashCode(),
                SelfSigned.issuedBy(ca, name, subjectAltNames, NamedGroup.SECP256R1));
    }

    /** A self-signed certificate nobody trusts. */
    Path[] selfSigned(String name) {
        return write("untrusted-" + name, SelfSigned.ecdsa(name, NamedGroup.SECP256R1));
    }

    private Path[] write(String name, CertifiedKey key) {
        try {
            Path cert = dir.resolve(name + "-cert.pem");
            Path pk = dir.resolve(name + "-key.pem");
            Pem.writeCertificates(cert, key.chain());
            Pem.writePrivateKey(pk, key.privateKey());
            return new Path[] {cert, pk};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.dtlsip.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.Pem;
import org.dtlsip.dtls.crypto.SelfSigned;

/**
 * A sample's certificate and how it checks its peer. The certificate comes from PEM files or is
 * generated (self-signed ECDSA P-256). The stack reads DTLS credentials from PEM files and the
 * RI's TLS transport from key stores, so both are written to a private temporary directory
 * that is deleted on exit: the PEM pair, a PKCS#12 key store, and a PKCS#12 trust store of the
 * {@code --trust} certificates.
 */
public final class Credentials {
    private final CertifiedKey key;
    private final boolean generated;
    private final List<X509Certificate> trusted;
    private final List<String> pins;
    private final Path dir;
    private final Path certPem;
    private final Path keyPem;
    private final Path keyStore;
    private final Path trustStore;
    private final String storePassword;

    private Credentials(CertifiedKey key, boolean generated, List<X509Certificate> trusted, List<String> pins)
            throws SampleFailure {
        this.key = key;
        this.generated = generated;
        this.trusted = List.copyOf(trusted);
        this.pins = List.copyOf(pins);
        // Only this process reads the stores: a random password keeps the files useless to others.
        byte[] pw = new byte[18];
        new SecureRandom().nextBytes(pw);
        this.storePassword = Base64.getUrlEncoder().withoutPadding().encodeToString(pw);
        try {
            dir = Files.createTempDirectory("dtlsip-sample");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
            certPem = dir.resolve("cert.pem");
            keyPem = dir.resolve("key.pem");
            Pem.writeCertificates(certPem, key.chain());
            Pem.writePrivateKey(keyPem, key.privateKey());
            keyStore = dir.resolve("key.p12");
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("sample", key.privateKey(), storePassword.toCharArray(),
                    key.chain().toArray(new X509Certificate[0]));
            store(ks, keyStore);
            if (trusted.isEmpty()) {
                trustStore = null;
            } else {
                trustStore = dir.resolve("trust.p12");
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                for (int i = 0; i < trusted.size(); i++) {
                    ts.setCertificateEntry("trusted-" + i, trusted.get(i));
                }
                store(ts, trustStore);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new SampleFailure("cannot write the temporary key stores: " + SampleFailure.rootMessage(e), e);
        }
    }

    /**
     * Loads or generates the certificate and reads the peer checks.
     *
     * @param cert PEM certificate chain, or {@code null} to generate a self-signed certificate
     * @param key PEM private key, with {@code cert}
     * @param commonName subject of a generated certificate
     * @param trust PEM file of certificates to trust, or {@code null}
     * @param fingerprints pinned SHA-256 fingerprints of peer certificates (hex, colons optional)
     */
    public static Credentials of(Path cert, Path key, String commonName, Path trust, List<String> fingerprints)
            throws SampleFailure {
        CertifiedKey ck;
        boolean generated = cert == null && key == null;
        if (generated) {
            // Named for this machine (localhost, 127.0.0.1, ::1): a peer given it with --trust
            // checks the name it connects to (RFC 9525, RFC 5922).
            ck = SelfSigned.ecdsa(commonName, SelfSigned.LOCAL_NAMES, NamedGroup.SECP256R1);
        } else if (cert == null || key == null) {
            throw new SampleFailure("give both --cert and --key (PEM files), or neither for a generated self-signed pair");
        } else {
            try {
                ck = Pem.readCertifiedKey(cert, key);
            } catch (IOException | IllegalArgumentException e) {
                throw new SampleFailure("cannot read --cert " + cert + " / --key " + key + ": "
                        + SampleFailure.rootMessage(e), e);
            }
        }
        List<X509Certificate> anchors = new ArrayList<>();
        if (trust != null) {
            try {
                anchors.addAll(Pem.readCertificates(trust));
            } catch (IOException | IllegalArgumentException e) {
                throw new SampleFailure("cannot read --trust " + trust + ": " + SampleFailure.rootMessage(e), e);
            }
            if (anchors.isEmpty()) {
                throw new SampleFailure("--trust " + trust + " holds no PEM certificate");
            }
        }
        List<String> pins = new ArrayList<>();
        for (String f : fingerprints == null ? List.<String>of() : fingerprints) {
            for (String one : f.split(",")) {
                if (!one.isBlank()) {
                    try {
                        pins.add(Fingerprint.format(Fingerprint.parse(one)));
                    } catch (IllegalArgumentException e) {
                        throw new SampleFailure("--fingerprint: " + e.getMessage(), e);
                    }
                }
            }
        }
        return new Credentials(ck, generated, anchors, pins);
    }

    public CertifiedKey key() {
        return key;
    }

    public boolean generated() {
        return generated;
    }

    /** SHA-256 fingerprint of our leaf certificate, colon-separated upper-case hex. */
    public String fingerprint() {
        return fingerprintOf(key.leaf());
    }

    public static String fingerprintOf(X509Certificate cert) {
        return Fingerprint.format(Fingerprint.sha256(cert));
    }

    public List<X509Certificate> trusted() {
        return trusted;
    }

    /** Pinned peer fingerprints, normalised (colon-separated upper-case hex). */
    public List<String> pins() {
        return pins;
    }

    /** Whether the peer's certificate will be checked ({@code --trust} or {@code --fingerprint}). */
    public boolean checksPeer() {
        return !trusted.isEmpty() || !pins.isEmpty();
    }

    public Path certificatePem() {
        return certPem;
    }

    public Path privateKeyPem() {
        return keyPem;
    }

    public Path keyStore() {
        return keyStore;
    }

    /** The trust store of {@code --trust} certificates, or {@code null}. */
    public Path trustStore() {
        return trustStore;
    }

    public String storePassword() {
        return storePassword;
    }

    private void store(KeyStore ks, Path file) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, storePassword.toCharArray());
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}

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
 * RI's TLS transport from key stores, so they are written to a private temporary directory that
 * is deleted on exit: the PEM pair, a PKCS#12 key store, and a PKCS#12 trust store of the
 * {@code --trust} certificates.
 *
 * <p>Each is made when first asked for, not before: a UAC over UDP needs no certificate, and one
 * over DTLS-UDP no key store. Generating the key pair and writing a PKCS#12 store (PBKDF2 and
 * HMAC over the store) each cost a cold JVM a few hundred milliseconds (docs/BENCHMARKS.md,
 * "Cold start").
 */
public final class Credentials {
    private final CertifiedKey given;
    private final String commonName;
    private final List<X509Certificate> trusted;
    private final List<String> pins;
    /** Only this process reads the stores: a random password keeps the files useless to others. */
    private final String storePassword;
    private CertifiedKey key;
    private Path dir;
    private Path certPem;
    private Path keyPem;
    private Path keyStore;
    private Path trustStore;

    private Credentials(CertifiedKey given, String commonName, List<X509Certificate> trusted, List<String> pins) {
        this.given = given;
        this.commonName = commonName;
        this.trusted = List.copyOf(trusted);
        this.pins = List.copyOf(pins);
        byte[] pw = new byte[18];
        new SecureRandom().nextBytes(pw);
        this.storePassword = Base64.getUrlEncoder().withoutPadding().encodeToString(pw);
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
        CertifiedKey ck = null; // null: generated when first asked for
        boolean generated = cert == null && key == null;
        if (generated) {
            // key() generates it.
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
        return new Credentials(ck, commonName, anchors, pins);
    }

    /** Our certificate and key: the given ones, or generated at the first call. */
    public synchronized CertifiedKey key() {
        if (key == null) {
            // Named for this machine (localhost, 127.0.0.1, ::1): a peer given it with --trust
            // checks the name it connects to (RFC 9525, RFC 5922).
            key = given != null ? given : SelfSigned.ecdsa(commonName, SelfSigned.LOCAL_NAMES, NamedGroup.SECP256R1);
        }
        return key;
    }

    public boolean generated() {
        return given == null;
    }

    /** SHA-256 fingerprint of our leaf certificate, colon-separated upper-case hex. */
    public String fingerprint() {
        return fingerprintOf(key().leaf());
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

    /** Our certificate chain as a PEM file (written at the first call). */
    public synchronized Path certificatePem() throws SampleFailure {
        writePem();
        return certPem;
    }

    /** Our private key as a PEM file (written at the first call). */
    public synchronized Path privateKeyPem() throws SampleFailure {
        writePem();
        return keyPem;
    }

    /** A PKCS#12 key store of our certificate and key (written at the first call), password {@link #storePassword()}. */
    public synchronized Path keyStore() throws SampleFailure {
        if (keyStore == null) {
            try {
                Path file = dir().resolve("key.p12");
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("sample", key().privateKey(), storePassword.toCharArray(),
                        key().chain().toArray(new X509Certificate[0]));
                store(ks, file);
                keyStore = file;
            } catch (IOException | GeneralSecurityException e) {
                throw failure(e);
            }
        }
        return keyStore;
    }

    /** The PKCS#12 trust store of {@code --trust} certificates (written at the first call), or {@code null} without {@code --trust}. */
    public synchronized Path trustStore() throws SampleFailure {
        if (trustStore == null && !trusted.isEmpty()) {
            try {
                Path file = dir().resolve("trust.p12");
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                for (int i = 0; i < trusted.size(); i++) {
                    ts.setCertificateEntry("trusted-" + i, trusted.get(i));
                }
                store(ts, file);
                trustStore = file;
            } catch (IOException | GeneralSecurityException e) {
                throw failure(e);
            }
        }
        return trustStore;
    }

    public String storePassword() {
        return storePassword;
    }

    /** Whether the key pair exists yet (given, or generated by {@link #key()}); for tests. */
    synchronized boolean keyMade() {
        return key != null;
    }

    /** The names of the files written so far, e.g. [cert.pem, key.pem]; for tests. */
    synchronized java.util.Set<String> filesWritten() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Path f : new Path[] {certPem, keyPem, keyStore, trustStore}) {
            if (f != null) {
                names.add(f.getFileName().toString());
            }
        }
        return names;
    }

    private void writePem() throws SampleFailure {
        if (certPem == null) {
            try {
                Path cert = dir().resolve("cert.pem");
                Path pk = dir().resolve("key.pem");
                Pem.writeCertificates(cert, key().chain());
                Pem.writePrivateKey(pk, key().privateKey());
                certPem = cert;
                keyPem = pk;
            } catch (IOException e) {
                throw failure(e);
            }
        }
    }

    /** The private temporary directory, created at the first call and deleted when the JVM exits. */
    private Path dir() throws IOException {
        if (dir == null) {
            Path d = Files.createTempDirectory("dtlsip-sample");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(d)));
            dir = d;
        }
        return dir;
    }

    private static SampleFailure failure(Exception e) {
        return new SampleFailure("cannot write the temporary key files: " + SampleFailure.rootMessage(e), e);
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

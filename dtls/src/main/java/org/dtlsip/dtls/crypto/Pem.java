package org.dtlsip.dtls.crypto;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Reads and writes the PEM files that openssl produces and consumes (RFC 7468), so that the
 * same certificate and key files work with {@code openssl s_server/s_client} and with us.
 */
public final class Pem {
    private Pem() {
    }

    /**
     * All CERTIFICATE blocks in the file, in file order (leaf first for a chain file).
     *
     * @throws IOException if the file cannot be read or holds no certificate
     */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(r)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    certs.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException | RuntimeException e) {
            throw new IOException("cannot parse certificates in " + file + ": " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new IOException("no PEM CERTIFICATE block in " + file
                    + "; expected a file like `openssl req -x509` writes");
        }
        return certs;
    }

    /**
     * The first private key in the file: "PRIVATE KEY" (PKCS#8), "EC PRIVATE KEY" (SEC1, possibly
     * preceded by "EC PARAMETERS") or "RSA PRIVATE KEY" (PKCS#1). Keys come out of the Bouncy
     * Castle provider instance; {@link Signatures} accepts them with either provider.
     *
     * @throws IOException if the file cannot be read, holds no key, or the key is encrypted
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(Providers.bouncyCastle());
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(r)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    // Only the private half: SEC1 keys may omit the optional public key, which
                    // makes getKeyPair fail.
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new IOException("private key in " + file + " is encrypted; decrypt it "
                            + "with `openssl pkey -in " + file + " -out key.pem`");
                }
                // Anything else (EC PARAMETERS, certificates in a combined file) is skipped.
            }
        } catch (RuntimeException e) {
            throw new IOException("cannot parse private key in " + file + ": " + e.getMessage(), e);
        }
        throw new IOException("no PEM PRIVATE KEY block in " + file + "; expected a file like "
                + "`openssl genpkey` or `openssl req -nodes -keyout` writes");
    }

    /**
     * Reads a chain file and its key file and checks that they belong together.
     *
     * @throws IllegalArgumentException if the key does not match the first certificate
     */
    public static CertifiedKey readCertifiedKey(Path cert, Path key) throws IOException {
        List<X509Certificate> chain = readCertificates(cert);
        PrivateKey privateKey = readPrivateKey(key);
        try {
            return new CertifiedKey(chain, privateKey);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " does not belong to the first certificate in "
                    + cert + ": " + e.getMessage(), e);
        }
    }

    /** Writes the certificates as consecutive CERTIFICATE blocks. */
    public static void writeCertificates(Path file, List<X509Certificate> certs) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(w)) {
            for (X509Certificate c : certs) {
                pem.writeObject(c);
            }
        }
    }

    /** Writes the key as an unencrypted PKCS#8 "PRIVATE KEY" block, which openssl reads. */
    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        byte[] pkcs8 = key.getEncoded();
        if (pkcs8 == null || !"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("private key " + key.getAlgorithm()
                    + " cannot be exported as PKCS#8 (format " + key.getFormat() + ")");
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new PemObject("PRIVATE KEY", pkcs8));
        }
        // Like openssl, keep the key readable by its owner only where the file system can say so.
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}

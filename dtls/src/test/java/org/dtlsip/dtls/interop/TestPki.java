package org.dtlsip.dtls.interop;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.Pem;
import org.dtlsip.dtls.crypto.SelfSigned;

/**
 * Test-only PKI: self-signed certificates with their private keys, generated once per JVM run
 * with Bouncy Castle (an explicit {@link BouncyCastleProvider} instance, never registered
 * globally) and written as PEM files so that {@code openssl} can load them.
 *
 * <p>The returned {@link X509Certificate} and {@link PrivateKey} are re-parsed by the JDK's
 * own providers (CertificateFactory "X.509", KeyFactory "EC"/"RSA") so that JSSE handles them
 * like any other JDK key. PEM files: certificate as {@code CERTIFICATE}, key as unencrypted
 * PKCS#8 {@code PRIVATE KEY}; both are directly usable with {@code -cert}/{@code -key} and
 * {@code -CAfile}.
 *
 * <p>Every certificate names this machine in its subjectAltName ({@code localhost},
 * {@code 127.0.0.1}, {@code ::1}), so that a client trusting it with {@code -CAfile} and
 * checking the name it connects to (RFC 9525, {@code -verify_hostname}) accepts it, as it
 * would a real server's. {@link #issued} makes CA-issued certificates for other names.
 *
 * <p>Material is cached per JVM (RSA-4096 generation takes seconds); the files live in one
 * temporary directory that is deleted on JVM exit.
 */
public final class TestPki {

    /** A self-signed certificate, its key, and their PEM files. */
    public record Material(String name, X509Certificate certificate, PrivateKey privateKey,
                           Path certPem, Path keyPem) {

        /** SHA-256 over the certificate's DER encoding, lowercase hex without separators. */
        public String sha256FingerprintHex() {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
                return HexFormat.of().formatHex(digest);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String toString() {
            return "TestPki.Material[" + name + ", " + certificate.getSubjectX500Principal() + "]";
        }
    }

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, Material> CACHE = new ConcurrentHashMap<>();
    private static volatile Path directory;

    private TestPki() {
    }

    /** ECDSA on secp256r1, certificate signed with SHA256withECDSA. */
    public static Material ecdsaP256() {
        return CACHE.computeIfAbsent("ec-p256", n -> generateEc(n, "secp256r1", "SHA256withECDSA"));
    }

    /** ECDSA on secp384r1, certificate signed with SHA384withECDSA. */
    public static Material ecdsaP384() {
        return CACHE.computeIfAbsent("ec-p384", n -> generateEc(n, "secp384r1", "SHA384withECDSA"));
    }

    /** RSA 2048, certificate signed with SHA256withRSA. */
    public static Material rsa2048() {
        return CACHE.computeIfAbsent("rsa-2048", n -> generateRsa(n, 2048));
    }

    /** RSA 4096, certificate signed with SHA256withRSA (slow to generate: cached). */
    public static Material rsa4096() {
        return CACHE.computeIfAbsent("rsa-4096", n -> generateRsa(n, 4096));
    }

    private static Material generateEc(String name, String curve, String signatureAlgorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BC);
            generator.initialize(new ECGenParameterSpec(curve), RANDOM);
            return build(name, generator.generateKeyPair(), signatureAlgorithm, "EC");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + name, e);
        }
    }

    private static Material generateRsa(String name, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", BC);
            generator.initialize(bits, RANDOM);
            return build(name, generator.generateKeyPair(), "SHA256withRSA", "RSA");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + name, e);
        }
    }

    private static Material build(String name, KeyPair keyPair, String signatureAlgorithm,
                                  String keyAlgorithm) throws GeneralSecurityException {
        X500Name subject = new X500Name("CN=dtlsip-test-" + name);
        Instant now = Instant.now();
        BigInteger serial = new BigInteger(63, RANDOM).add(BigInteger.ONE);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))),
                subject, keyPair.getPublic());
        ContentSigner signer;
        try {
            signer = new JcaContentSignerBuilder(signatureAlgorithm).setProvider(BC)
                    .build(keyPair.getPrivate());
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
        addLocalNames(builder);
        X509CertificateHolder holder = builder.build(signer);
        byte[] certDer;
        try {
            certDer = holder.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] keyDer = keyPair.getPrivate().getEncoded(); // PKCS#8 PrivateKeyInfo

        // Re-parse with the JDK providers so JSSE sees ordinary JDK objects.
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(certDer));
        PrivateKey privateKey = KeyFactory.getInstance(keyAlgorithm)
                .generatePrivate(new PKCS8EncodedKeySpec(keyDer));

        Path dir = directory();
        Path certPem = write(dir.resolve(name + "-cert.pem"), "CERTIFICATE", certDer);
        Path keyPem = write(dir.resolve(name + "-key.pem"), "PRIVATE KEY", keyDer);
        return new Material(name, certificate, privateKey, certPem, keyPem);
    }

    /** RFC 9525 identities of this machine: the loopback name and both loopback addresses. */
    private static void addLocalNames(JcaX509v3CertificateBuilder builder) {
        try {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")}));
        } catch (CertIOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A test CA and a certificate it issued, with their PEM files. */
    public record Issued(CertifiedKey ca, CertifiedKey leaf, Path caPem, Path chainPem, Path keyPem) {
    }

    /**
     * A P-256 leaf issued by a fresh test CA, with these subjectAltNames (host names, IP
     * addresses or URIs, as {@link SelfSigned#issuedBy(CertifiedKey, String, List, NamedGroup)}
     * takes them). Files: the CA certificate (for {@code -CAfile}), the chain leaf first (for
     * {@code -cert}) and the key.
     */
    public static Issued issued(String commonName, List<String> subjectAltNames) {
        CertifiedKey ca = SelfSigned.ecdsaCa("dtlsip test CA for " + commonName);
        CertifiedKey leaf = SelfSigned.issuedBy(ca, commonName, subjectAltNames, NamedGroup.SECP256R1);
        Path dir = directory();
        String base = "issued-" + Math.abs(RANDOM.nextLong());
        try {
            Path caPem = dir.resolve(base + "-ca.pem");
            Path chainPem = dir.resolve(base + "-chain.pem");
            Path keyPem = dir.resolve(base + "-key.pem");
            Pem.writeCertificates(caPem, List.of(ca.leaf()));
            Pem.writeCertificates(chainPem, leaf.chain());
            Pem.writePrivateKey(keyPem, leaf.privateKey());
            for (Path p : List.of(caPem, chainPem, keyPem)) {
                p.toFile().deleteOnExit();
            }
            return new Issued(ca, leaf, caPem, chainPem, keyPem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Path directory() {
        if (directory == null) {
            try {
                Path dir = Files.createTempDirectory("dtlsip-testpki-");
                dir.toFile().deleteOnExit();
                directory = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return directory;
    }

    private static Path write(Path file, String label, byte[] der) {
        String pem = "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
        try {
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        file.toFile().deleteOnExit();
        return file;
    }
}

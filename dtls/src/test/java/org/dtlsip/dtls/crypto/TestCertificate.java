package org.dtlsip.dtls.crypto;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates with exactly the extensions a test asks for, built with Bouncy Castle's X.509
 * builder: names of each subjectAltName type, keyUsage and extendedKeyUsage bits, validity in
 * the past or future, issued by a test CA or self-signed. ECDSA P-256 throughout.
 */
public final class TestCertificate {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String commonName;
    private final List<GeneralName> names = new ArrayList<>();
    private Integer keyUsage = KeyUsage.digitalSignature;
    private List<KeyPurposeId> extendedKeyUsage;
    private Instant notBefore = Instant.now().minus(Duration.ofHours(1));
    private Instant notAfter = Instant.now().plus(Duration.ofDays(30));
    private CertifiedKey issuer;
    private boolean ca;
    /** Extensions with exactly these value bytes, in place of any built one of the same type. */
    private final Map<ASN1ObjectIdentifier, Map.Entry<Boolean, byte[]>> raw = new LinkedHashMap<>();

    private TestCertificate(String commonName) {
        this.commonName = commonName;
    }

    /** An end-entity certificate with subject CN={@code commonName} and keyUsage digitalSignature. */
    public static TestCertificate leaf(String commonName) {
        return new TestCertificate(commonName);
    }

    /** A CA certificate (basicConstraints CA:true, keyCertSign). */
    public static CertifiedKey ca(String commonName) {
        TestCertificate c = new TestCertificate(commonName);
        c.ca = true;
        c.keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature;
        return c.build();
    }

    public TestCertificate dns(String... dnsNames) {
        for (String n : dnsNames) {
            names.add(new GeneralName(GeneralName.dNSName, n));
        }
        return this;
    }

    public TestCertificate ip(String... addresses) {
        for (String a : addresses) {
            try {
                names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(InetAddress.getByName(a).getAddress())));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(a, e);
            }
        }
        return this;
    }

    public TestCertificate uri(String... uris) {
        for (String u : uris) {
            names.add(new GeneralName(GeneralName.uniformResourceIdentifier, u));
        }
        return this;
    }

    /** An e-mail subjectAltName: a name type that is no service identity. */
    public TestCertificate email(String address) {
        names.add(new GeneralName(GeneralName.rfc822Name, address));
        return this;
    }

    /** keyUsage bits ({@link KeyUsage} constants); {@code null} leaves the extension out. */
    public TestCertificate keyUsage(Integer bits) {
        this.keyUsage = bits;
        return this;
    }

    public TestCertificate extendedKeyUsage(KeyPurposeId... purposes) {
        this.extendedKeyUsage = List.of(purposes);
        return this;
    }

    public TestCertificate validity(Instant from, Instant to) {
        this.notBefore = from;
        this.notAfter = to;
        return this;
    }

    /**
     * Makes this a CA certificate (basicConstraints CA:true, keyCertSign), e.g. an intermediate
     * when it is {@link #issuedBy} another CA.
     */
    public TestCertificate asCa() {
        this.ca = true;
        this.keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature;
        return this;
    }

    /**
     * An extension whose value (the DER inside extnValue) is exactly {@code value}, valid or
     * not, instead of any the builder would add for {@code oid}: for malformed certificates.
     */
    public TestCertificate rawExtension(ASN1ObjectIdentifier oid, boolean critical, byte[] value) {
        raw.put(oid, Map.entry(critical, value.clone()));
        return this;
    }

    public TestCertificate issuedBy(CertifiedKey issuingCa) {
        this.issuer = issuingCa;
        return this;
    }

    /** The certificate and its key; the chain is [leaf, CA] when issued by a CA. */
    public CertifiedKey build() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair kp = g.generateKeyPair();
            X500Name subject = new X500Name("CN=" + commonName);
            X500Name issuerName = issuer == null ? subject
                    : X500Name.getInstance(issuer.leaf().getSubjectX500Principal().getEncoded());
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(notBefore), Date.from(notAfter), subject, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (keyUsage != null && !raw.containsKey(Extension.keyUsage)) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            }
            if (extendedKeyUsage != null && !raw.containsKey(Extension.extendedKeyUsage)) {
                b.addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(extendedKeyUsage.toArray(new KeyPurposeId[0])));
            }
            if (!names.isEmpty() && !raw.containsKey(Extension.subjectAlternativeName)) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            }
            for (var e : raw.entrySet()) {
                b.addExtension(e.getKey(), e.getValue().getKey(), e.getValue().getValue());
            }
            var signer = new JcaContentSignerBuilder("SHA256withECDSA")
                    .build(issuer == null ? kp.getPrivate() : issuer.privateKey());
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
            return new CertifiedKey(issuer == null ? List.of(cert) : List.of(cert, issuer.leaf()), kp.getPrivate());
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                 | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot build test certificate " + commonName, e);
        }
    }
}

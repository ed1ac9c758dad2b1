package org.dtlsip.dtls.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Generates certificates for tests and for running without a PKI: a self-signed end-entity
 * certificate that the peer pins (by fingerprint or as its own trust anchor), or a small CA
 * plus leaf for two-level chain tests. Valid from one hour ago (tolerating clock skew) for
 * 365 days, with a random 128-bit serial (RFC 5280 4.1.2.2 allows up to 20 octets).
 *
 * <p>A peer that trusts such a certificate as an anchor still checks that it names the host
 * it connected to (RFC 9525, subjectAltName only): a generated certificate meant for this
 * machine carries {@link #LOCAL_NAMES}.
 */
public final class SelfSigned {
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Pattern HOSTNAME = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern URI_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:[^/].*|[A-Za-z][A-Za-z0-9+.-]*://.*");

    /** The names a client on this machine connects by: loopback as a name, IPv4 and IPv6. */
    public static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1", "::1");

    private SelfSigned() {
    }

    /**
     * A self-signed ECDSA end-entity certificate (basicConstraints CA:false). The JDK's PKIX and
     * openssl both accept such a certificate when it is itself the configured trust anchor.
     *
     * @param curve SECP256R1 or SECP384R1
     */
    public static CertifiedKey ecdsa(String commonName, NamedGroup curve) {
        return ecdsa(commonName, hostNameOrNone(commonName), curve);
    }

    /**
     * A self-signed ECDSA end-entity certificate whose subjectAltName holds {@code names}: each
     * an IP address (IPv4 or IPv6 literal), a URI (with a scheme, e.g. {@code sip:example.com},
     * RFC 5922 7.1) or a DNS name (a leading {@code *.} makes a wildcard).
     */
    public static CertifiedKey ecdsa(String commonName, List<String> names, NamedGroup curve) {
        KeyPair kp = ecKeyPair(curve);
        return selfSigned(commonName, kp, false, names);
    }

    /** A self-signed RSA end-entity certificate (for ECDHE_RSA suites). */
    public static CertifiedKey rsa(String commonName, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return selfSigned(commonName, g.generateKeyPair(), false, hostNameOrNone(commonName));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot generate a " + bits + "-bit RSA key", e);
        }
    }

    /** A self-signed P-256 CA (basicConstraints CA:true, keyCertSign) to issue test leaves. */
    public static CertifiedKey ecdsaCa(String commonName) {
        return selfSigned(commonName, ecKeyPair(NamedGroup.SECP256R1), true, List.of());
    }

    /**
     * An ECDSA end-entity certificate issued by {@code ca}; the returned chain is
     * [leaf, ca leaf] as a peer would send it.
     */
    public static CertifiedKey issuedBy(CertifiedKey ca, String commonName, NamedGroup curve) {
        return issuedBy(ca, commonName, hostNameOrNone(commonName), curve);
    }

    /** As {@link #issuedBy(CertifiedKey, String, NamedGroup)}, with these subjectAltNames (see {@link #ecdsa(String, List, NamedGroup)}). */
    public static CertifiedKey issuedBy(CertifiedKey ca, String commonName, List<String> names, NamedGroup curve) {
        KeyPair kp = ecKeyPair(curve);
        X509Certificate issuer = ca.leaf();
        X509Certificate cert = build(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
                name(commonName), kp.getPublic(), ca.privateKey(), issuer.getPublicKey(), false, names);
        return new CertifiedKey(List.of(cert, issuer), kp.getPrivate());
    }

    /** The common name as the one DNS name, when it is a host name; none otherwise. */
    private static List<String> hostNameOrNone(String commonName) {
        return HOSTNAME.matcher(commonName).matches() ? List.of(commonName) : List.of();
    }

    /** One subjectAltName entry for {@code name}: IP address, URI or DNS name. */
    static GeneralName generalName(String name) {
        byte[] address = ServiceIdentity.literal(name);
        if (address != null) {
            return new GeneralName(GeneralName.iPAddress, new org.bouncycastle.asn1.DEROctetString(address));
        }
        if (URI_SCHEME.matcher(name).matches()) {
            return new GeneralName(GeneralName.uniformResourceIdentifier, name);
        }
        if (!HOSTNAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a host name, IP address or URI for a subjectAltName");
        }
        return new GeneralName(GeneralName.dNSName, name);
    }

    private static KeyPair ecKeyPair(NamedGroup curve) {
        if (curve != NamedGroup.SECP256R1 && curve != NamedGroup.SECP384R1) {
            throw new IllegalArgumentException("certificates use P-256 or P-384, not " + curve);
        }
        try {
            // Bouncy Castle keys: BC's ECDSA signs 3x faster with its own key objects than with
            // JDK keys, which it has to convert on every use (docs/PROVIDERS.md).
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Providers.bouncyCastle());
            g.initialize(new ECGenParameterSpec(curve.rfcName));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC key generation unavailable for " + curve, e);
        }
    }

    private static CertifiedKey selfSigned(String commonName, KeyPair kp, boolean ca, List<String> names) {
        X500Name subject = name(commonName);
        X509Certificate cert = build(subject, subject, kp.getPublic(), kp.getPrivate(),
                kp.getPublic(), ca, names);
        return new CertifiedKey(List.of(cert), kp.getPrivate());
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private static X509Certificate build(X500Name issuer, X500Name subject, PublicKey subjectKey,
            PrivateKey signingKey, PublicKey issuerKey, boolean ca, List<String> names) {
        Instant now = Instant.now();
        BigInteger serial = new BigInteger(128, new SecureRandom());
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial,
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, subjectKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(ca))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(ca
                            ? KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature
                            : KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(subjectKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(issuerKey));
            if (!names.isEmpty()) {
                // RFC 9525 and RFC 5922 7.1: identities are matched against subjectAltName.
                GeneralName[] sans = new GeneralName[names.size()];
                for (int i = 0; i < sans.length; i++) {
                    sans[i] = generalName(names.get(i));
                }
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            }
            var signer = new JcaContentSignerBuilder(signatureAlgorithm(signingKey))
                    .setProvider(Providers.bouncyCastle()).build(signingKey);
            // The JDK's CertificateFactory (the converter's default) yields certificates that
            // the JDK PKIX validator handles natively.
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build certificate for " + subject, e);
        }
    }

    private static String signatureAlgorithm(PrivateKey key) {
        if (key instanceof ECKey ec) {
            return ec.getParams().getOrder().bitLength() > 256 ? "SHA384withECDSA" : "SHA256withECDSA";
        }
        return "SHA256withRSA";
    }
}

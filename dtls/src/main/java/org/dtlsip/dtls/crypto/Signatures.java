package org.dtlsip.dtls.crypto;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Digital signatures for ServerKeyExchange and CertificateVerify (RFC 5246 sections 7.4.3 and
 * 7.4.8, RFC 8422 section 5.4), with schemes identified by their TLS code points.
 *
 * <p>ECDSA runs on the Bouncy Castle provider instance and RSA on the JDK's SunRsaSign: each
 * measured fastest for its family (see {@link Providers}). Keys from either provider work with
 * both, because each provider translates the standard {@code java.security.interfaces} keys;
 * ECDSA is about three times faster with Bouncy Castle key objects (as {@link Pem} and
 * {@link SelfSigned} produce) than with JDK keys, which BC converts on every use. A peer's key
 * from a certificate is converted once by {@link #forVerification}, and kept across handshakes by
 * the configuration's {@link VerificationKeyCache}.
 */
public final class Signatures {
    private static final Logger LOG = LoggerFactory.getLogger(Signatures.class);

    private static final List<SignatureScheme> SUPPORTED = List.of(
            SignatureScheme.ECDSA_SECP256R1_SHA256,
            SignatureScheme.ECDSA_SECP384R1_SHA384,
            SignatureScheme.ECDSA_SECP521R1_SHA512,
            SignatureScheme.RSA_PSS_RSAE_SHA256,
            SignatureScheme.RSA_PSS_RSAE_SHA384,
            SignatureScheme.RSA_PSS_RSAE_SHA512,
            SignatureScheme.RSA_PKCS1_SHA256,
            SignatureScheme.RSA_PKCS1_SHA384,
            SignatureScheme.RSA_PKCS1_SHA512);

    /**
     * DTLS 1.3's signature_algorithms (RFC 8446 4.2.3), most preferred first: no PKCS#1 v1.5,
     * which TLS 1.3 allows in certificates only.
     */
    private static final List<SignatureScheme> SUPPORTED_TLS13 = List.of(
            SignatureScheme.ECDSA_SECP256R1_SHA256,
            SignatureScheme.ECDSA_SECP384R1_SHA384,
            SignatureScheme.ECDSA_SECP521R1_SHA512,
            SignatureScheme.ED25519,
            SignatureScheme.RSA_PSS_RSAE_SHA256,
            SignatureScheme.RSA_PSS_RSAE_SHA384,
            SignatureScheme.RSA_PSS_RSAE_SHA512,
            SignatureScheme.RSA_PSS_PSS_SHA256,
            SignatureScheme.RSA_PSS_PSS_SHA384,
            SignatureScheme.RSA_PSS_PSS_SHA512);

    /**
     * RSA preference when we sign: PSS first because RFC 8446 4.2.3 and modern peers prefer it,
     * then PKCS#1 v1.5, which every TLS 1.2 peer supports.
     */
    private static final List<SignatureScheme> RSA_PREFERENCE = List.of(
            SignatureScheme.RSA_PSS_RSAE_SHA256,
            SignatureScheme.RSA_PKCS1_SHA256,
            SignatureScheme.RSA_PKCS1_SHA384,
            SignatureScheme.RSA_PKCS1_SHA512,
            SignatureScheme.RSA_PSS_RSAE_SHA384,
            SignatureScheme.RSA_PSS_RSAE_SHA512);

    private Signatures() {
    }

    /** Our signature_algorithms extension (RFC 5246 7.4.1.4.1), most preferred first. */
    public static List<SignatureScheme> supported() {
        return SUPPORTED;
    }

    /** Our DTLS 1.3 signature_algorithms (RFC 8446 4.2.3), most preferred first. */
    public static List<SignatureScheme> supportedTls13() {
        return SUPPORTED_TLS13;
    }

    /**
     * The scheme to sign a TLS 1.3 CertificateVerify with (RFC 8446 4.2.3, 4.4.3): fixed by the
     * key, except for RSA, where the hash is our choice among those the peer lists. ECDSA schemes
     * name their curve in TLS 1.3, so a P-384 key signs only with ecdsa_secp384r1_sha384;
     * an rsaEncryption key signs with rsa_pss_rsae_*, an RSASSA-PSS key with rsa_pss_pss_*.
     *
     * @return the scheme, or null if the peer lists none usable with this key
     */
    public static SignatureScheme selectTls13(PrivateKey key, List<SignatureScheme> peerSupported) {
        for (SignatureScheme s : SUPPORTED_TLS13) {
            if (peerSupported.contains(s) && fitsTls13(s, key)) {
                return s;
            }
        }
        return null;
    }

    /**
     * True when {@code scheme} may sign a TLS 1.3 handshake message with {@code key} (ours or the
     * peer's certificate key): not PKCS#1 v1.5, the ECDSA curve matching, the RSA key type
     * matching rsae or pss (RFC 8446 4.2.3). A peer's CertificateVerify with any other pairing is
     * an illegal_parameter.
     */
    public static boolean fitsTls13(SignatureScheme scheme, Key key) {
        if (!scheme.usableInTls13Handshake()) {
            return false;
        }
        return switch (scheme.keyType) {
            case EC -> key instanceof ECKey ec && curveBits(ec) == switch (scheme) {
                case ECDSA_SECP256R1_SHA256 -> 256;
                case ECDSA_SECP384R1_SHA384 -> 384;
                default -> 521;
            };
            case RSA -> key instanceof RSAKey && isPssKey(key) == scheme.needsPssKey();
            case ED25519 -> isEd25519(key);
        };
    }

    private static int curveBits(ECKey key) {
        return key.getParams().getOrder().bitLength();
    }

    /** A key from a certificate with the RSASSA-PSS algorithm identifier (RFC 4055). */
    private static boolean isPssKey(Key key) {
        return key.getAlgorithm().equals("RSASSA-PSS");
    }

    private static boolean isEd25519(Key key) {
        String alg = key.getAlgorithm();
        if (alg.equals("Ed25519")) {
            return true;
        }
        return alg.equals("EdDSA") && key instanceof java.security.interfaces.EdECKey ed
                && ed.getParams().getName().equalsIgnoreCase("Ed25519");
    }

    /**
     * Signs {@code data} (the whole message to sign; the scheme's hash is applied here).
     * ECDSA signatures are DER-encoded {@code Ecdsa-Sig-Value} (RFC 8422 section 5.8).
     */
    public static byte[] sign(SignatureScheme scheme, PrivateKey key, byte[] data)
            throws GeneralSecurityException {
        checkKeyType(scheme, key);
        Signature s = newSignature(scheme);
        s.initSign(key);
        s.update(data);
        return s.sign();
    }

    /**
     * @return true only if {@code signature} is a valid signature of {@code data} under
     *     {@code key} with {@code scheme}; false for a wrong key type, a malformed or wrong
     *     signature, or any provider failure. Never throws, so a forged signature cannot escape as
     *     an unexpected exception.
     */
    public static boolean verify(SignatureScheme scheme, PublicKey key, byte[] data,
            byte[] signature) {
        try {
            checkKeyType(scheme, key);
            Signature s = newSignature(scheme);
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.debug("{} signature rejected: {}", scheme, e.toString());
            return false;
        }
    }

    /**
     * The peer's public key in the form {@link #verify} is fastest with: Bouncy Castle's ECDSA
     * converts a JDK EC key on every call (about 3x the cost of the verification itself, see
     * docs/PROVIDERS.md), so an EC key from a JDK-parsed certificate is converted once here.
     * RSA keys are returned as they are (the JDK verifies them).
     */
    public static PublicKey forVerification(PublicKey key) {
        if (!(key instanceof ECKey) || key.getClass().getName().startsWith("org.bouncycastle.")) {
            return key;
        }
        try {
            return java.security.KeyFactory.getInstance("EC", Providers.bouncyCastle())
                    .generatePublic(new java.security.spec.X509EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            LOG.debug("EC key not convertible to Bouncy Castle, verifying with it as it is: {}", e.toString());
            return key;
        }
    }

    /**
     * Chooses the scheme to sign with: the best one usable with {@code key} that the peer listed.
     * For EC keys the scheme whose curve matches the key comes first, but any ECDSA scheme the
     * peer offers is acceptable, because in TLS 1.2 the hash is not bound to the curve
     * (RFC 8422 section 5.1.3 only constrains it in TLS 1.3).
     *
     * @return the scheme, or null if the peer supports none usable with this key
     */
    public static SignatureScheme select(PrivateKey key, List<SignatureScheme> peerSupported) {
        for (SignatureScheme s : preferenceFor(key)) {
            if (peerSupported.contains(s)) {
                return s;
            }
        }
        return null;
    }

    private static List<SignatureScheme> preferenceFor(PrivateKey key) {
        if (key instanceof RSAKey) {
            return RSA_PREFERENCE;
        }
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getOrder().bitLength();
            SignatureScheme matching = bits <= 256 ? SignatureScheme.ECDSA_SECP256R1_SHA256
                    : bits <= 384 ? SignatureScheme.ECDSA_SECP384R1_SHA384
                    : SignatureScheme.ECDSA_SECP521R1_SHA512;
            List<SignatureScheme> order = new ArrayList<>();
            order.add(matching);
            for (SignatureScheme s : SUPPORTED) {
                if (s.keyType == SignatureScheme.KeyType.EC && s != matching) {
                    order.add(s);
                }
            }
            return order;
        }
        return List.of();
    }

    private static void checkKeyType(SignatureScheme scheme, Key key)
            throws GeneralSecurityException {
        boolean ok = switch (scheme.keyType) {
            case EC -> key instanceof ECKey;
            case RSA -> key instanceof RSAKey && (!scheme.needsPssKey() || isPssKey(key));
            case ED25519 -> isEd25519(key);
        };
        if (!ok) {
            throw new GeneralSecurityException(scheme.rfcName() + " cannot be used with a "
                    + key.getAlgorithm() + " key");
        }
    }

    private static Signature newSignature(SignatureScheme scheme) throws GeneralSecurityException {
        return switch (scheme) {
            case ECDSA_SECP256R1_SHA256, ECDSA_SECP384R1_SHA384, ECDSA_SECP521R1_SHA512 ->
                    Signature.getInstance(scheme.jcaName, Providers.bouncyCastle());
            case RSA_PKCS1_SHA256, RSA_PKCS1_SHA384, RSA_PKCS1_SHA512 ->
                    Signature.getInstance(scheme.jcaName);
            case RSA_PSS_RSAE_SHA256, RSA_PSS_PSS_SHA256 -> pss("SHA-256", MGF1ParameterSpec.SHA256, 32);
            case RSA_PSS_RSAE_SHA384, RSA_PSS_PSS_SHA384 -> pss("SHA-384", MGF1ParameterSpec.SHA384, 48);
            case RSA_PSS_RSAE_SHA512, RSA_PSS_PSS_SHA512 -> pss("SHA-512", MGF1ParameterSpec.SHA512, 64);
            // Ed25519 on Bouncy Castle: about ten times the JDK 17's speed (docs/PROVIDERS.md).
            case ED25519 -> Signature.getInstance("Ed25519", Providers.bouncyCastle());
        };
    }

    /**
     * RSASSA-PSS with an rsaEncryption key (RFC 8446 section 4.2.3): MGF1 with the same hash and
     * a salt as long as the hash output.
     */
    private static Signature pss(String hash, MGF1ParameterSpec mgf, int saltLength)
            throws GeneralSecurityException {
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec(hash, "MGF1", mgf, saltLength,
                PSSParameterSpec.TRAILER_FIELD_BC));
        return s;
    }
}

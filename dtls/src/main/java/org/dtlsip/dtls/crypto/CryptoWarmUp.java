package org.dtlsip.dtls.crypto;

import java.io.ByteArrayInputStream;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Loads and initialises, on a background thread, the crypto classes a client's first full
 * handshake needs: the Bouncy Castle provider, X.509 parsing and PKIX validation, ECDSA P-256
 * verification, X25519, HMAC-SHA256 and AES-GCM. A cold JVM spends most of a first handshake
 * loading these (docs/BENCHMARKS.md, "Cold start"); started before the socket is opened, the
 * work overlaps with the rest of start-up and the wait for the server's first flight instead of
 * following it.
 *
 * <p>It only warms caches: nothing it computes is kept, and a failure is ignored (the handshake
 * then loads the classes itself). It uses no logger, so it never waits for logging to start.
 */
public final class CryptoWarmUp {
    /**
     * A self-signed P-256 certificate ("CN=dtlsip warm-up", made once with openssl) and its
     * signature over {@link #MESSAGE}: fixed inputs, so the warm-up generates no key.
     */
    private static final String CERTIFICATE = "MIIBiDCCAS+gAwIBAgIUWnIem/iQyNB1ZBmEV2gaSeGE5ScwCgYIKoZIzj0EAwIwGTEXMBUGA1UEAwwOZHRsc2lwIHdhcm0t"
            + "dXAwIBcNMjYxMjAyMTEzMzM2WhgPMjEyNjExMDgxMTMzMzZaMBkxFzAVBgNVBAMMDmR0bHNpcCB3YXJtLXVwMFkwEwYHKoZI"
            + "zj0CAQYIKoZIzj0DAQcDQgAE8cbtqwzC6Z2LPbpm8u9jBZBJtyDU3Wl58sULPuES5OvHZi1/EUf5QnjnOq4QfmtM7MN250//"
            + "4Oq3uJu3QDZGBqNTMFEwHQYDVR0OBBYEFCMYd8yf8efv+gPGqYobadHkL6wLMB8GA1UdIwQYMBaAFCMYd8yf8efv+gPGqYob"
            + "adHkL6wLMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgZP9eYCNnrDGq6e7afYiaeWiJDg4gnqiK11hysdrY"
            + "BQMCIBbf8bpIKZGud/S4AGonNuLZAKvPao9wJJmEIhFGt8CP";
    private static final String SIGNATURE = "MEUCIQDC5fD00eQf1/FsTTzkuTkOSDby+l+HM18B57z95xv02gIgf8AnjVAUdDazMKk2zfY+96nkfBxip6RxfbQnC4AdSgM=";
    private static final byte[] MESSAGE = "dtlsip warm-up".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private CryptoWarmUp() {
    }

    /** Starts the warm-up on a daemon thread and returns it (joining it is never necessary). */
    public static Thread start() {
        Thread t = new Thread(CryptoWarmUp::run, "dtlsip-crypto-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.NORM_PRIORITY - 1);
        t.start();
        return t;
    }

    /**
     * Runs the warm-up on the calling thread.
     *
     * @return whether every step succeeded (a test checks that the fixed inputs still verify)
     */
    public static boolean run() {
        try {
            // X.509 parsing and the PKIX validator (Handshake.parseCertificates, PkixVerifier).
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            X509Certificate cert = (X509Certificate) cf.generateCertificate(
                    new ByteArrayInputStream(Base64.getDecoder().decode(CERTIFICATE)));
            CertPathValidator.getInstance("PKIX");
            // ECDSA verification on Bouncy Castle key objects, as Signatures.forVerification/verify do.
            PublicKey key = KeyFactory.getInstance("EC", Providers.bouncyCastle())
                    .generatePublic(new X509EncodedKeySpec(cert.getPublicKey().getEncoded()));
            Signature s = Signature.getInstance("SHA256withECDSA", Providers.bouncyCastle());
            s.initVerify(key);
            s.update(MESSAGE);
            boolean verified = s.verify(Base64.getDecoder().decode(SIGNATURE));
            // X25519, the first group we offer (RFC 7748 5).
            byte[] scalar = MessageDigest.getInstance("SHA-256").digest(MESSAGE);
            byte[] point = new byte[X25519.POINT_SIZE];
            X25519.scalarMultBase(scalar, 0, point, 0);
            // The PRF's HMAC (RFC 5246 5) and the default suite's AES-GCM record protection.
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(scalar, "HmacSHA256"));
            mac.doFinal(point);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(scalar, 0, 16, "AES"), new GCMParameterSpec(128, point, 0, 12));
            gcm.updateAAD(MESSAGE);
            gcm.doFinal(MESSAGE);
            return verified;
        } catch (Exception | LinkageError e) {
            return false; // only a missed optimisation: the handshake loads what it needs itself
        }
    }
}

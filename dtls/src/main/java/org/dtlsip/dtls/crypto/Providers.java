package org.dtlsip.dtls.crypto;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider instance this library uses, passed explicitly to
 * {@code getInstance(algorithm, provider)}. It is never registered with
 * {@code Security.addProvider}: installing a provider is process-wide state that would change
 * the behaviour of every other library in the JVM.
 *
 * <p>Provider per primitive, chosen by measurement ({@code docs/PROVIDERS.md} has the command
 * and full figures; JDK 17.0.15, BC 1.82, 2-core AMD EPYC with AES-NI; microseconds per
 * operation):
 * <table>
 * <caption>Provider choices</caption>
 * <tr><th>primitive</th><th>JDK</th><th>BC</th><th>chosen</th></tr>
 * <tr><td>AES-128-GCM seal / open, 1200-byte record</td><td>0.6 / 0.6</td>
 *     <td>8.5 / 9.3 (GCMBlockCipher)</td><td>JDK (AES-NI and GHASH intrinsics)</td></tr>
 * <tr><td>ChaCha20-Poly1305 seal / open, 1200 bytes</td><td>3.3 / 3.3</td>
 *     <td>5.1 / 7.1 (ChaCha20Poly1305)</td><td>JDK</td></tr>
 * <tr><td>X25519 keygen + agree</td><td>229</td><td>83 (rfc7748.X25519)</td><td>BC</td></tr>
 * <tr><td>secp256r1 keygen + agree</td><td>1163</td><td>738 (custom curve, comb)</td>
 *     <td>BC</td></tr>
 * <tr><td>secp384r1 keygen + agree</td><td>2153</td><td>574</td><td>BC</td></tr>
 * <tr><td>ECDSA P-256 SHA-256 sign / verify</td><td>384 / 820</td><td>67 / 65</td>
 *     <td>BC</td></tr>
 * <tr><td>RSA-2048 PKCS#1 sign / verify</td><td>1040 / 37</td><td>1146 / 39</td>
 *     <td>JDK</td></tr>
 * <tr><td>RSA-2048 PSS sign / verify</td><td>698 / 27</td><td>756 / 32</td><td>JDK</td></tr>
 * </table>
 * HMAC for the PRF, certificate parsing and PKIX validation use the JDK (handshake-only,
 * and the JDK's PKIX is the reference behaviour users expect).
 */
public final class Providers {
    private static final Provider BC = new BouncyCastleProvider();

    private Providers() {
    }

    /** The shared, unregistered Bouncy Castle provider. */
    public static Provider bouncyCastle() {
        return BC;
    }
}

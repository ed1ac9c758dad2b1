package org.dtlsip.dtls.crypto;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider instance this library uses, passed explicitly to
 * {@code getInstance(algorithm, provider)}. It is never registered with
 * {@code Security.addProvider}: installing a provider is process-wide state that would change
 * the behaviour of every other library in the JVM.
 *
 * <p>Provider per primitive, chosen by measurement ({@code docs/PROVIDERS.md} has the command,
 * every run and the caveats; JDK 17.0.15, BC 1.82, 2-core AMD EPYC with AES-NI; microseconds
 * per operation, lower is better):
 * <table>
 * <caption>Provider choices</caption>
 * <tr><th>primitive</th><th>JDK</th><th>BC</th><th>chosen</th></tr>
 * <tr><td>AES-128-GCM seal / open, 1200-byte record</td><td>0.5 / 0.4</td>
 *     <td>7.9 / 7.9 (GCMBlockCipher)</td><td>JDK (AES-NI and GHASH intrinsics)</td></tr>
 * <tr><td>ChaCha20-Poly1305 seal / open, 1200 bytes</td><td>3.1 / 3.2</td>
 *     <td>4.9 / 7.7 (ChaCha20Poly1305)</td><td>JDK</td></tr>
 * <tr><td>X25519 keygen + agree</td><td>192</td><td>77 (rfc7748.X25519)</td><td>BC</td></tr>
 * <tr><td>secp256r1 keygen + agree</td><td>965</td><td>189 (custom curve, comb)</td>
 *     <td>BC</td></tr>
 * <tr><td>secp384r1 keygen + agree</td><td>2064</td><td>573</td><td>BC</td></tr>
 * <tr><td>ECDSA P-256 SHA-256 sign / verify</td><td>502 / 690</td>
 *     <td>60 / 61 with BC key objects, about 180 / 140 with JDK keys</td><td>BC</td></tr>
 * <tr><td>RSA-2048 PKCS#1 sign / verify</td><td>729 / 29</td><td>720 / 28</td>
 *     <td>JDK (a tie; no key conversion)</td></tr>
 * <tr><td>RSA-2048 PSS sign / verify</td><td>663 / 27</td><td>732 / 33</td><td>JDK</td></tr>
 * </table>
 * HMAC for the PRF, certificate parsing and PKIX validation use the JDK (handshake-only,
 * and the JDK's PKIX is the reference behaviour users expect). EC keys made by
 * {@link SelfSigned} and read by {@link Pem} are Bouncy Castle key objects so that ECDSA
 * signing takes the fast path.
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

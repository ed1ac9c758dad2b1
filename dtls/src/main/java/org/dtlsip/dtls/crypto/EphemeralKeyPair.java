package org.dtlsip.dtls.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * A single-use ECDHE key pair (RFC 8422 section 2): generated for one handshake, its public
 * value sent in ServerKeyExchange or ClientKeyExchange, then combined once with the peer's to
 * produce the premaster secret. Immutable; the private scalar never leaves this object.
 *
 * <p>All groups use Bouncy Castle's low-level arithmetic, which measured 2.5 to 5 times faster
 * than the JDK's SunEC for key generation plus agreement (see {@link Providers}).
 */
public final class EphemeralKeyPair {
    /** The group-specific private half; package-private implementations only. */
    interface Secret {
        byte[] agree(byte[] peerPublicValue) throws GeneralSecurityException;
    }

    private final NamedGroup group;
    private final byte[] publicValue;
    private final Secret secret;

    EphemeralKeyPair(NamedGroup group, byte[] publicValue, Secret secret) {
        this.group = group;
        this.publicValue = publicValue;
        this.secret = secret;
    }

    public static EphemeralKeyPair generate(NamedGroup group, SecureRandom random) {
        return switch (group) {
            case SECP256R1, SECP384R1 -> NistCurveEcdh.generate(group, random);
            case X25519 -> X25519Ecdh.generate(random);
        };
    }

    public NamedGroup group() {
        return group;
    }

    /**
     * The encoded public value: the uncompressed point {@code 0x04 || X || Y} for the NIST
     * curves (RFC 8422 section 5.4, the only format RFC 8422 still allows), the raw 32-byte
     * u-coordinate for X25519 (RFC 8422 section 5.4.1, RFC 7748 section 5).
     */
    public byte[] publicValue() {
        return publicValue.clone();
    }

    /**
     * Computes the premaster secret with the peer's public value: the x-coordinate of the shared
     * point, left-padded to the field size, for the NIST curves (RFC 8422 section 5.10), the
     * X25519 output for x25519 (RFC 8422 section 5.11).
     *
     * @throws GeneralSecurityException if the peer's value has the wrong length or format
     *     (including compressed points), is not on the curve, or yields the identity / an
     *     all-zero secret; the caller answers with an illegal_parameter alert
     */
    public byte[] agree(byte[] peerPublicValue) throws GeneralSecurityException {
        if (peerPublicValue == null || peerPublicValue.length != group.publicLength) {
            throw new GeneralSecurityException(group.rfcName + " public value must be "
                    + group.publicLength + " bytes, got "
                    + (peerPublicValue == null ? "none" : peerPublicValue.length));
        }
        return secret.agree(peerPublicValue);
    }
}

package org.dtlsip.dtls.crypto;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** X25519 (RFC 7748 section 5) with Bouncy Castle's constant-time low-level implementation. */
final class X25519Ecdh {
    private X25519Ecdh() {
    }

    static EphemeralKeyPair generate(SecureRandom random) {
        byte[] k = new byte[X25519.SCALAR_SIZE];
        X25519.generatePrivateKey(random, k);
        byte[] u = new byte[X25519.POINT_SIZE];
        X25519.generatePublicKey(k, 0, u, 0);
        return new EphemeralKeyPair(NamedGroup.X25519, u, peer -> agree(k, peer));
    }

    private static byte[] agree(byte[] k, byte[] peer) throws GeneralSecurityException {
        byte[] shared = new byte[X25519.POINT_SIZE];
        // RFC 8422 5.11 / RFC 7748 6.1: a low-order peer point gives an all-zero result, which
        // must abort the handshake; calculateAgreement reports it by returning false.
        if (!X25519.calculateAgreement(k, 0, peer, 0, shared, 0)) {
            throw new GeneralSecurityException("x25519 agreement produced the all-zero value "
                    + "(peer sent a low-order point, RFC 8422 5.11)");
        }
        return shared;
    }
}

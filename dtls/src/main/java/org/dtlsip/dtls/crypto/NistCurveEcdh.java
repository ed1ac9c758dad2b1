package org.dtlsip.dtls.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDH over secp256r1 / secp384r1 with Bouncy Castle's custom (specialised field arithmetic)
 * curve implementations and a fixed-point comb for the generator multiplication.
 */
final class NistCurveEcdh {
    private static final ECDomainParameters P256 = domain("secp256r1");
    private static final ECDomainParameters P384 = domain("secp384r1");

    private NistCurveEcdh() {
    }

    private static ECDomainParameters domain(String name) {
        X9ECParameters x9 = CustomNamedCurves.getByName(name);
        return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    }

    static EphemeralKeyPair generate(NamedGroup group, SecureRandom random) {
        ECDomainParameters dom = group == NamedGroup.SECP256R1 ? P256 : P384;
        BigInteger d = BigIntegers.createRandomInRange(BigInteger.ONE,
                dom.getN().subtract(BigInteger.ONE), random);
        ECPoint q = new FixedPointCombMultiplier().multiply(dom.getG(), d).normalize();
        ECPrivateKeyParameters priv = new ECPrivateKeyParameters(d, dom);
        return new EphemeralKeyPair(group, q.getEncoded(false), peer -> agree(group, priv, peer));
    }

    private static byte[] agree(NamedGroup group, ECPrivateKeyParameters priv, byte[] peer)
            throws GeneralSecurityException {
        // RFC 8422 5.4: only the uncompressed format (4) is allowed; the length was checked by
        // the caller, so a compressed point (02/03) arrives here only with a bad length.
        if (peer[0] != 0x04) {
            throw new GeneralSecurityException(group.rfcName
                    + " public value is not an uncompressed point (first byte "
                    + (peer[0] & 0xff) + ", RFC 8422 5.4 requires 4)");
        }
        ECDomainParameters dom = priv.getParameters();
        ECPoint point;
        try {
            // decodePoint rejects coordinates outside the field and points off the curve,
            // which is the public-key validation RFC 8422 5.11 asks for (cofactor is 1).
            point = dom.getCurve().decodePoint(peer);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(group.rfcName + " public value is not a point on the curve", e);
        }
        try {
            ECDHBasicAgreement agreement = new ECDHBasicAgreement();
            agreement.init(priv);
            BigInteger x = agreement.calculateAgreement(new ECPublicKeyParameters(point, dom));
            // RFC 8422 5.10: the premaster secret is the x-coordinate as a fixed-length string.
            return BigIntegers.asUnsignedByteArray(dom.getCurve().getFieldElementEncodingLength(), x);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new GeneralSecurityException(group.rfcName + " agreement failed: " + e.getMessage(), e);
        }
    }
}

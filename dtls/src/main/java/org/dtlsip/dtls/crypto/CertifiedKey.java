package org.dtlsip.dtls.crypto;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.List;

/**
 * Our certificate chain (leaf first, as the Certificate message sends it, RFC 5246 7.4.2) and
 * the private key of the leaf. The chain is copied into an unmodifiable list.
 */
public record CertifiedKey(List<X509Certificate> chain, PrivateKey privateKey) {
    /**
     * @throws IllegalArgumentException if the chain is empty, or the leaf's public key is not of
     *     the private key's family (EC / RSA) or visibly belongs to another key (different curve
     *     size or RSA modulus); catching this at configuration time beats a handshake failure
     */
    public CertifiedKey {
        if (chain == null || chain.isEmpty()) {
            throw new IllegalArgumentException("certificate chain is empty; the leaf certificate "
                    + "must come first");
        }
        if (privateKey == null) {
            throw new IllegalArgumentException("private key missing");
        }
        chain = List.copyOf(chain);
        PublicKey pub = chain.get(0).getPublicKey();
        if (!sameKey(pub, privateKey)) {
            throw new IllegalArgumentException("private key (" + privateKey.getAlgorithm()
                    + ") does not match the leaf certificate's public key (" + pub.getAlgorithm()
                    + ") of " + chain.get(0).getSubjectX500Principal().getName());
        }
    }

    /** The end-entity certificate whose key signs our handshake. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    private static boolean sameKey(PublicKey pub, PrivateKey priv) {
        if (pub instanceof RSAKey rp && priv instanceof RSAKey rk) {
            return rp.getModulus().equals(rk.getModulus());
        }
        if (pub instanceof ECKey ep && priv instanceof ECKey ek) {
            return ep.getParams().getOrder().equals(ek.getParams().getOrder());
        }
        return false;
    }
}

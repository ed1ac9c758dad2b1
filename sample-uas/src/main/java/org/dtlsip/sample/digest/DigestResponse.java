package org.dtlsip.sample.digest;

/**
 * The {@code response} value of digest authentication, RFC 7616 3.4.1 (the computation
 * RFC 3261 22.4 and RFC 8760 use): {@code KD(H(A1), nonce:nc:cnonce:qop:H(A2))} with qop
 * {@code auth}, or {@code KD(H(A1), nonce:H(A2))} for a challenge without qop (RFC 2069, which
 * RFC 3261 22.4 still allows), where {@code A1 = username:realm:password},
 * {@code A2 = method:uri} and {@code KD(s, d) = H(s:d)}. Only qop {@code auth}: SIP bodies are
 * not protected (auth-int), and neither stack here offers it.
 */
public final class DigestResponse {
    /** What a qop=auth response needs besides the credentials and the request. */
    public record Qop(String nc, String cnonce) {
    }

    private DigestResponse() {
    }

    /**
     * @param qop {@code null} for a challenge without qop (no nc, no cnonce)
     */
    public static String compute(DigestAlgorithm algorithm, String username, String realm, String password,
            String method, String uri, String nonce, Qop qop) {
        String ha1 = algorithm.hash(username + ":" + realm + ":" + password);
        String ha2 = algorithm.hash(method + ":" + uri);
        if (qop == null) {
            return algorithm.hash(ha1 + ":" + nonce + ":" + ha2);
        }
        return algorithm.hash(ha1 + ":" + nonce + ":" + qop.nc() + ":" + qop.cnonce() + ":auth:" + ha2);
    }
}

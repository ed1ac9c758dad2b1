package org.dtlsip.sample.digest;

import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.ListIterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The client side of SIP digest authentication (RFC 3261 22.2, 22.3; RFC 8760): answers the
 * challenges of a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate) with one credential per
 * realm, and keeps each realm's nonce so later requests carry credentials before they are
 * asked for (RFC 3261 22.3 allows it; the nonce count goes up, RFC 7616 3.4).
 */
public final class DigestClient {
    /** A realm's last challenge and how many times its nonce was used. */
    private record Nonce(boolean proxy, String realm, String nonce, String opaque, DigestAlgorithm algorithm, boolean qop,
            AtomicInteger count) {
    }

    private final String user;
    private final String password;
    private final HeaderFactory headers;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Nonce> nonces = new ConcurrentHashMap<>();

    public DigestClient(String user, String password, HeaderFactory headers) {
        this.user = user;
        this.password = password;
        this.headers = headers;
    }

    public String user() {
        return user;
    }

    /**
     * Takes the challenges of {@code challenge} (401 or 407): per realm, the strongest algorithm
     * we implement (SHA-256, then MD5; RFC 8760 2.4).
     *
     * @return {@code false} if there is no challenge we can answer
     */
    public boolean learn(Response challenge) {
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        Map<String, Nonce> best = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        ListIterator<WWWAuthenticateHeader> it = challenge.getHeaders(proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME);
        while (it != null && it.hasNext()) {
            WWWAuthenticateHeader h = it.next();
            DigestAlgorithm a = DigestAlgorithm.of(h.getAlgorithm());
            if (!"Digest".equalsIgnoreCase(h.getScheme()) || a == null || h.getRealm() == null || h.getNonce() == null) {
                continue;
            }
            String qop = h.getQop();
            boolean auth = qop != null && qop.toLowerCase().matches("(.*[ ,])?auth([ ,].*)?");
            if (qop != null && !auth) {
                continue; // auth-int only: not for us
            }
            Nonce n = new Nonce(proxy, h.getRealm(), h.getNonce(), h.getOpaque(), a, auth, new AtomicInteger());
            Nonce seen = best.get(h.getRealm());
            if (seen == null || a.ordinal() < seen.algorithm().ordinal()) {
                best.put(h.getRealm(), n);
            }
        }
        for (Nonce n : best.values()) {
            nonces.put((proxy ? "proxy " : "www ") + n.realm(), n);
        }
        return !best.isEmpty();
    }

    /** Whether {@code challenge} says a nonce we used has expired (stale=true): then retrying is worth it. */
    public static boolean isStale(Response challenge) {
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        @SuppressWarnings("unchecked")
        ListIterator<WWWAuthenticateHeader> it = challenge.getHeaders(proxy ? ProxyAuthenticateHeader.NAME : WWWAuthenticateHeader.NAME);
        while (it != null && it.hasNext()) {
            if (it.next().isStale()) {
                return true;
            }
        }
        return false;
    }

    /** Adds credentials for every realm learned so far to {@code request} (replacing any it had). */
    public void authorize(Request request) throws ParseException {
        request.removeHeader(AuthorizationHeader.NAME);
        request.removeHeader(ProxyAuthorizationHeader.NAME);
        String uri = request.getRequestURI().toString();
        for (Nonce n : nonces.values()) {
            AuthorizationHeader h = n.proxy() ? headers.createProxyAuthorizationHeader("Digest")
                    : headers.createAuthorizationHeader("Digest");
            h.setUsername(user);
            h.setRealm(n.realm());
            h.setNonce(n.nonce());
            h.setParameter("uri", uri);
            h.setAlgorithm(n.algorithm().token());
            DigestResponse.Qop qop = null;
            if (n.qop()) {
                String nc = String.format("%08x", n.count().incrementAndGet());
                byte[] c = new byte[12];
                random.nextBytes(c);
                qop = new DigestResponse.Qop(nc, HexFormat.of().formatHex(c));
                h.setQop("auth");
                h.setParameter("nc", nc);
                h.setCNonce(qop.cnonce());
            }
            if (n.opaque() != null) {
                h.setOpaque(n.opaque());
            }
            h.setResponse(DigestResponse.compute(n.algorithm(), user, n.realm(), password, request.getMethod(), uri, n.nonce(), qop));
            request.addHeader(h);
        }
    }
}

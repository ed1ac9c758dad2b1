package org.dtlsip.sample.digest;

import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.RouteHeader;
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
    /**
     * A realm's last challenge, how many times its nonce was used, and where it came from:
     * {@code scope} is the next hop's host for a proxy's challenge, else the Request-URI's host
     * ({@link #scope}).
     */
    private record Nonce(boolean proxy, String realm, String nonce, String opaque, DigestAlgorithm algorithm, boolean qop,
            AtomicInteger count, String scope) {
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
     * Takes the challenges of {@code challenge} (401 or 407), the answer to {@code challenged}:
     * per realm, the strongest algorithm we implement (SHA-256, then MD5; RFC 8760 2.4). Their
     * credentials go only to where the challenge came from ({@link #authorize}).
     *
     * @return {@code false} if there is no challenge we can answer
     */
    public boolean learn(Request challenged, Response challenge) {
        boolean proxy = challenge.getStatusCode() == Response.PROXY_AUTHENTICATION_REQUIRED;
        String scope = scope(challenged, proxy);
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
            Nonce n = new Nonce(proxy, h.getRealm(), h.getNonce(), h.getOpaque(), a, auth, new AtomicInteger(), scope);
            Nonce seen = best.get(h.getRealm());
            if (seen == null || a.ordinal() < seen.algorithm().ordinal()) {
                best.put(h.getRealm(), n);
            }
        }
        for (Nonce n : best.values()) {
            nonces.put((proxy ? "proxy " : "www ") + scope + " " + n.realm(), n);
        }
        return !best.isEmpty();
    }

    /**
     * Where credentials for {@code request} are checked: a proxy's (407) at the next hop, the
     * first Route's host if there is one (RFC 3261 16.12), else the Request-URI's; a server's
     * (401) at the Request-URI's host. Lower case, with the port if given.
     */
    private static String scope(Request request, boolean proxy) {
        URI target = request.getRequestURI();
        if (proxy) {
            RouteHeader route = (RouteHeader) request.getHeader(RouteHeader.NAME);
            if (route != null) {
                target = route.getAddress().getURI();
            }
        }
        if (target instanceof SipURI sip) {
            return (sip.getHost() + (sip.getPort() > 0 ? ":" + sip.getPort() : "")).toLowerCase(Locale.ROOT);
        }
        return target.toString().toLowerCase(Locale.ROOT);
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

    /**
     * Adds credentials for every realm learned so far from where {@code request} goes to it
     * (replacing any it had). A digest answer is material for an offline guess of the password
     * (RFC 7616 5.12), so it goes only to the protection space that asked for it (RFC 7235 2.2):
     * a server's realm only with requests to that server, a proxy's only through that proxy.
     */
    public void authorize(Request request) throws ParseException {
        request.removeHeader(AuthorizationHeader.NAME);
        request.removeHeader(ProxyAuthorizationHeader.NAME);
        String uri = request.getRequestURI().toString();
        for (Nonce n : nonces.values()) {
            if (!n.scope().equals(scope(request, n.proxy()))) {
                continue;
            }
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

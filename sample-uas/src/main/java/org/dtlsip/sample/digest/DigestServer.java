package org.dtlsip.sample.digest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sip.address.AddressFactory;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;

/**
 * The server side of SIP digest authentication (RFC 3261 22.2, 22.4; RFC 8760): challenges
 * with SHA-256 and MD5, in that order of preference (RFC 8760 2.4: a server lists the
 * algorithms it prefers first), qop {@code auth}, and a stateless nonce
 * ({@link NonceFactory}); checks the {@code Authorization} a request carries, including that
 * its nonce count was not used before ({@link NonceCounts}).
 */
public final class DigestServer {
    /** nc-value (RFC 7616 3.4): exactly 8 hex digits. */
    private static final Pattern NONCE_COUNT = Pattern.compile("[0-9a-fA-F]{8}");
    /** What a request's credentials came to. */
    public sealed interface Outcome {
        /** Good credentials of {@code user}. */
        record Authenticated(String user) implements Outcome {
        }

        /**
         * No usable credentials: answer 401 with {@link #challenges(boolean)}; {@code stale} when
         * they were right but the nonce has expired (RFC 7616 3.3), {@code why} for the log.
         */
        record Challenge(boolean stale, String why) implements Outcome {
        }
    }

    private final String realm;
    private final Map<String, String> passwords;
    private final NonceFactory nonces;
    private final NonceCounts counts;
    private final HeaderFactory headers;
    private final AddressFactory addresses;

    public DigestServer(String realm, Map<String, String> passwords, NonceFactory nonces, HeaderFactory headers,
            AddressFactory addresses) {
        this(realm, passwords, nonces, new NonceCounts(), headers, addresses);
    }

    public DigestServer(String realm, Map<String, String> passwords, NonceFactory nonces, NonceCounts counts,
            HeaderFactory headers, AddressFactory addresses) {
        this.counts = counts;
        this.realm = realm;
        this.passwords = Map.copyOf(passwords);
        this.nonces = nonces;
        this.headers = headers;
        this.addresses = addresses;
    }

    public String realm() {
        return realm;
    }

    /** One WWW-Authenticate per algorithm, SHA-256 first, all with one fresh nonce. */
    public List<WWWAuthenticateHeader> challenges(boolean stale) throws ParseException {
        String nonce = nonces.issue();
        List<WWWAuthenticateHeader> out = new ArrayList<>();
        for (DigestAlgorithm a : DigestAlgorithm.values()) {
            WWWAuthenticateHeader h = headers.createWWWAuthenticateHeader("Digest");
            h.setRealm(realm);
            h.setNonce(nonce);
            h.setAlgorithm(a.token());
            h.setQop("auth");
            if (stale) {
                h.setStale(true);
            }
            out.add(h);
        }
        return out;
    }

    /** Checks the Authorization header for our realm, if any (RFC 3261 22.4: others are for other realms). */
    public Outcome check(Request request) {
        @SuppressWarnings("unchecked")
        ListIterator<AuthorizationHeader> it = request.getHeaders(AuthorizationHeader.NAME);
        while (it != null && it.hasNext()) {
            AuthorizationHeader h = it.next();
            if ("Digest".equalsIgnoreCase(h.getScheme()) && realm.equals(h.getRealm())) {
                return check(request, h);
            }
        }
        return new Outcome.Challenge(false, "no credentials for realm " + realm);
    }

    private Outcome check(Request request, AuthorizationHeader h) {
        DigestAlgorithm algorithm = DigestAlgorithm.of(h.getAlgorithm());
        if (algorithm == null) {
            return new Outcome.Challenge(false, "algorithm " + h.getAlgorithm() + " not offered");
        }
        String user = h.getUsername();
        String password = user == null ? null : passwords.get(user);
        if (password == null) {
            return new Outcome.Challenge(false, "unknown user " + user);
        }
        // The digest covers the uri parameter as the client wrote it (RFC 7616 3.4.6), which
        // must name the Request-URI (RFC 3261 22.4: compared as URIs, 19.1.4).
        String uri = h.getParameter("uri");
        if (uri == null || !sameUri(uri, request.getRequestURI())) {
            return new Outcome.Challenge(false, "digest uri " + uri + " is not the Request-URI");
        }
        // Our challenges always say qop="auth", and then the client MUST answer with qop, nc
        // and cnonce (RFC 7616 3.4): an answer without them is the RFC 2069 form, which has no
        // nonce count to detect a replay with and no client nonce, and is refused.
        if (h.getQop() == null) {
            return new Outcome.Challenge(false, "no qop: the challenge asked for qop=auth (RFC 7616 3.4)");
        }
        String nc = h.getParameter("nc");
        if (!"auth".equalsIgnoreCase(h.getQop()) || nc == null || !NONCE_COUNT.matcher(nc).matches() || h.getCNonce() == null) {
            return new Outcome.Challenge(false, "qop " + h.getQop() + " without an 8-digit nc and a cnonce, or not auth");
        }
        DigestResponse.Qop qop = new DigestResponse.Qop(nc, h.getCNonce());
        NonceFactory.Verdict nonce = nonces.check(h.getNonce());
        if (nonce == NonceFactory.Verdict.INVALID) {
            return new Outcome.Challenge(false, "nonce not ours");
        }
        String expected = DigestResponse.compute(algorithm, user, realm, password, request.getMethod(), uri, h.getNonce(), qop);
        String given = h.getResponse() == null ? "" : h.getResponse();
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII))) {
            return new Outcome.Challenge(false, "wrong password for " + user);
        }
        // Right password, old nonce: stale=true lets the client retry without asking anyone.
        if (nonce == NonceFactory.Verdict.STALE) {
            return new Outcome.Challenge(true, "nonce expired");
        }
        // Counted only now that the password is proved: nobody else can use up a user's counts.
        long issuedAt = nonces.issuedAt(h.getNonce());
        return switch (counts.accept(h.getNonce(), issuedAt, Long.parseLong(nc, 16), nonces.expiredBefore())) {
            case FRESH -> new Outcome.Authenticated(user);
            case REPLAYED -> new Outcome.Challenge(false, "nonce count " + nc + " already used with this nonce (a replay)");
            case FORGOTTEN -> new Outcome.Challenge(true, "nonce no longer remembered");
        };
    }

    private boolean sameUri(String text, URI requestUri) {
        try {
            return addresses.createURI(text).equals(requestUri);
        } catch (ParseException e) {
            return false;
        }
    }
}

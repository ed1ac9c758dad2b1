package org.dtlsip.sample.digest;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The highest nonce count accepted with each nonce in use, so that a request whose
 * Authorization was seen before is not accepted again (RFC 7616 3.4: the server keeps the nc
 * values it has seen to detect replays; RFC 3261 22.4 follows it). Stateless nonces
 * ({@link NonceFactory}) alone let anyone who saw one Authorization (a proxy on the path, a
 * log) send it again within the nonce's lifetime, and qop=auth digests cover neither the
 * headers nor the body: a REGISTER replayed with another Contact would bind it to the user.
 *
 * <p>Bounded: at most {@link #maxNonces} nonces are remembered, added only once a request has
 * proved the password. When one must be forgotten, it is the one issued earliest, and every
 * nonce issued no later than it counts as expired from then on ({@link #accept} says so), so a
 * forgotten nonce is never accepted again.
 */
public final class NonceCounts {
    /** Nonces remembered: far more than the users a sample registrar serves refresh within a nonce lifetime. */
    public static final int DEFAULT_MAX_NONCES = 10_000;

    /**
     * Counts below the highest accepted that may still arrive once: a client that sends
     * requests concurrently with one nonce (each with the next count) may have them arrive out
     * of order, as a DTLS replay window allows for records (RFC 6347 4.1.2.6).
     */
    public static final int WINDOW = 64;

    /** What a nonce count came to. */
    public enum Verdict {
        /** Not seen before with this nonce, and not older than the window: remembered. */
        FRESH,
        /** Seen before with this nonce, or older than the window: a replay. */
        REPLAYED,
        /** The nonce was forgotten to stay within the bound: the client should take a new one. */
        FORGOTTEN
    }

    /** {@code window} bit i: count {@code highest - i} was accepted. */
    private record Seen(long issuedAt, long highest, long window) {
    }

    private final int maxNonces;
    /** In order of first use. */
    private final LinkedHashMap<String, Seen> seen = new LinkedHashMap<>();
    /** Nonces issued at or before this time may have been forgotten. */
    private long forgottenUpTo = Long.MIN_VALUE;

    public NonceCounts(int maxNonces) {
        if (maxNonces < 1) {
            throw new IllegalArgumentException("must remember at least one nonce, got " + maxNonces);
        }
        this.maxNonces = maxNonces;
    }

    public NonceCounts() {
        this(DEFAULT_MAX_NONCES);
    }

    /**
     * Records {@code nc} for {@code nonce} (issued at {@code issuedAt}) unless it was accepted
     * before with it or is more than {@link #WINDOW} below the highest. Call only for a request
     * whose digest proved the password.
     *
     * @param expiredBefore nonces issued before this time are expired and may be dropped
     */
    public synchronized Verdict accept(String nonce, long issuedAt, long nc, long expiredBefore) {
        Seen s = seen.get(nonce);
        if (s == null) {
            if (issuedAt <= forgottenUpTo) {
                return Verdict.FORGOTTEN;
            }
            makeRoom(expiredBefore);
            seen.put(nonce, new Seen(issuedAt, nc, 1L));
            return Verdict.FRESH;
        }
        if (nc > s.highest()) {
            long shift = nc - s.highest();
            seen.put(nonce, new Seen(s.issuedAt(), nc, (shift >= WINDOW ? 0 : s.window() << shift) | 1L));
            return Verdict.FRESH;
        }
        long age = s.highest() - nc;
        if (age >= WINDOW || (s.window() & (1L << age)) != 0) {
            return Verdict.REPLAYED;
        }
        seen.put(nonce, new Seen(s.issuedAt(), s.highest(), s.window() | (1L << age)));
        return Verdict.FRESH;
    }

    /** Nonces remembered now. */
    public synchronized int size() {
        return seen.size();
    }

    private void makeRoom(long expiredBefore) {
        seen.values().removeIf(s -> s.issuedAt() < expiredBefore);
        if (seen.size() < maxNonces) {
            return;
        }
        // Forget the earliest issued; everything issued up to it counts as forgotten.
        Map.Entry<String, Seen> earliest = null;
        for (Map.Entry<String, Seen> e : seen.entrySet()) {
            if (earliest == null || e.getValue().issuedAt() < earliest.getValue().issuedAt()) {
                earliest = e;
            }
        }
        forgottenUpTo = Math.max(forgottenUpTo, earliest.getValue().issuedAt());
        long floor = forgottenUpTo;
        for (Iterator<Seen> it = seen.values().iterator(); it.hasNext();) {
            if (it.next().issuedAt() <= floor) {
                it.remove();
            }
        }
    }
}

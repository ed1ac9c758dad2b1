package org.dtlsip.dtls.crypto;

import java.nio.ByteBuffer;
import java.security.PublicKey;
import org.dtlsip.dtls.util.LruMap;

/**
 * Peer public keys in the form {@link Signatures#verify} is fastest with, kept across handshakes:
 * bounded, least recently used first out, thread-safe. One cache serves every association made
 * from one configuration.
 *
 * <p>Why keep them: Bouncy Castle stores its precomputed multiples of a public point on the point
 * object and, once the same point has verified a few signatures, switches to a fixed-point comb
 * for it. A key decoded afresh for every handshake never gets there, and an ECDSA P-256
 * verification then costs about 2.3x as much (measured 158 against 70 microseconds; see
 * docs/BENCHMARKS.md). A client that reconnects to the same server, or a server whose clients
 * authenticate with the same certificate again, verifies with the cached object instead. Only the
 * key is cached, never a verification result: every signature is still checked.
 */
public final class VerificationKeyCache {
    /**
     * Keys kept. Measured retained heap (docs/BENCHMARKS.md): 9.6 KB per P-256 key promoted to
     * the comb, 4.4 KB per key used once, so a full cache holds about 620 KB; a flood of distinct
     * certificates only churns it.
     */
    public static final int DEFAULT_MAX_KEYS = 64;

    private final LruMap<ByteBuffer, PublicKey> keys;

    public VerificationKeyCache(int maxKeys) {
        if (maxKeys <= 0) {
            throw new IllegalArgumentException("verification key cache size must be positive, got " + maxKeys);
        }
        this.keys = new LruMap<>(maxKeys);
    }

    public static VerificationKeyCache withDefaults() {
        return new VerificationKeyCache(DEFAULT_MAX_KEYS);
    }

    /**
     * {@code key} converted by {@link Signatures#forVerification}, the same object each time the
     * same SubjectPublicKeyInfo is seen while it stays in the cache.
     */
    public PublicKey forVerification(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            return Signatures.forVerification(key);
        }
        ByteBuffer id = ByteBuffer.wrap(encoded);
        synchronized (this) {
            PublicKey cached = keys.get(id);
            if (cached != null) {
                return cached;
            }
        }
        // Converted outside the lock: two threads converting the same new key both get a usable
        // key, and the later one simply replaces the earlier in the cache.
        PublicKey converted = Signatures.forVerification(key);
        synchronized (this) {
            keys.put(id, converted);
        }
        return converted;
    }

    public synchronized int size() {
        return keys.size();
    }
}

package org.dtlsip.dtls.engine;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless HelloVerifyRequest cookies (RFC 6347 4.2.1): HMAC-SHA256 under a server secret
 * over the client's address and the ClientHello fields the client must repeat. The secret is
 * rotated every lifetime; cookies made under the previous secret stay valid for one more
 * lifetime so that a client caught by a rotation does not need a third round trip.
 * Thread-safe: a multi-peer server shares one generator.
 */
public final class CookieGenerator {
    /**
     * Cookie length: HMAC-SHA256 truncated to 128 bits, as unforgeable as an AES-GCM tag for
     * the few minutes a secret lives, and 32 bytes fewer on the wire per handshake (it travels
     * in the HelloVerifyRequest and again in the second ClientHello); RFC 6347 4.2.1 allows up
     * to 255 bytes.
     */
    public static final int COOKIE_LENGTH = 16;
    private static final int SECRET_LENGTH = 32;
    private static final String MAC = "HmacSHA256";

    private final SecureRandom random;
    private final long lifetimeMillis;
    private byte[] currentSecret;
    private byte[] previousSecret;
    private long rotateAt = Long.MIN_VALUE;

    public CookieGenerator(SecureRandom random, long lifetimeMillis) {
        this.random = random;
        this.lifetimeMillis = lifetimeMillis;
    }

    private synchronized void rotateIfDue(long now) {
        if (now < rotateAt) {
            return;
        }
        boolean longIdle = rotateAt != Long.MIN_VALUE && now >= rotateAt + lifetimeMillis;
        previousSecret = longIdle ? null : currentSecret;
        currentSecret = new byte[SECRET_LENGTH];
        random.nextBytes(currentSecret);
        rotateAt = now + lifetimeMillis;
    }

    /** A cookie for this client address and these ClientHello fields. */
    public byte[] generate(byte[] peerId, byte[] clientHelloFields, long now) {
        rotateIfDue(now);
        byte[] secret;
        synchronized (this) {
            secret = currentSecret;
        }
        return mac(secret, peerId, clientHelloFields);
    }

    /** Whether {@code cookie} was made by us, recently, for this address and these fields. */
    public boolean verify(byte[] cookie, byte[] peerId, byte[] clientHelloFields, long now) {
        if (cookie.length != COOKIE_LENGTH) {
            return false;
        }
        rotateIfDue(now);
        byte[] current;
        byte[] previous;
        synchronized (this) {
            current = currentSecret;
            previous = previousSecret;
        }
        if (MessageDigest.isEqual(cookie, mac(current, peerId, clientHelloFields))) {
            return true;
        }
        return previous != null && MessageDigest.isEqual(cookie, mac(previous, peerId, clientHelloFields));
    }

    private static byte[] mac(byte[] secret, byte[] peerId, byte[] fields) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(new SecretKeySpec(secret, MAC));
            mac.update((byte) peerId.length);
            mac.update(peerId);
            mac.update(fields);
            return java.util.Arrays.copyOf(mac.doFinal(), COOKIE_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(MAC + " unavailable", e);
        }
    }
}

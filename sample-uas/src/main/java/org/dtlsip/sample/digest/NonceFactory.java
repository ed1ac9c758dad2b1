package org.dtlsip.sample.digest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Nonces a server can check without remembering them (RFC 7616 3.3 suggests a time stamp and
 * a keyed hash): {@code base64url(time || HMAC-SHA256(secret, time || realm)[0..16])}, time the
 * issue time in milliseconds (8 bytes). A nonce we issued is valid for {@link #lifetimeMillis}
 * and stale after, which the challenge says with {@code stale=true} so the client retries
 * with the same credentials (RFC 7616 3.3). Anything else is not ours.
 *
 * <p>Stateless: a nonce alone can be replayed within its lifetime, which {@link NonceCounts}
 * (the nonce counts accepted) closes; the secret is per process, so a restart makes earlier
 * nonces invalid (the client is challenged again).
 */
public final class NonceFactory {
    /** Five minutes: longer than a registration refresh round trip, short enough to bound replay. */
    public static final long DEFAULT_LIFETIME_MILLIS = 300_000;
    /** Bytes of the truncated HMAC: 128 bits cannot be guessed. */
    static final int TAG_LENGTH = 16;
    private static final int TIME_LENGTH = Long.BYTES;

    /** What a nonce turned out to be. */
    public enum Verdict { VALID, STALE, INVALID }

    private final byte[] secret;
    private final String realm;
    private final long lifetimeMillis;
    private final LongSupplier clock;

    /**
     * @param clock milliseconds (wall clock in production; tests pass their own)
     */
    public NonceFactory(String realm, long lifetimeMillis, LongSupplier clock, SecureRandom random) {
        if (lifetimeMillis <= 0) {
            throw new IllegalArgumentException("nonce lifetime must be positive, got " + lifetimeMillis);
        }
        this.secret = new byte[32];
        random.nextBytes(secret);
        this.realm = realm;
        this.lifetimeMillis = lifetimeMillis;
        this.clock = clock;
    }

    public NonceFactory(String realm) {
        this(realm, DEFAULT_LIFETIME_MILLIS, System::currentTimeMillis, new SecureRandom());
    }

    public long lifetimeMillis() {
        return lifetimeMillis;
    }

    /** Nonces issued before this time have expired. */
    public long expiredBefore() {
        return clock.getAsLong() - lifetimeMillis;
    }

    /** A fresh nonce. */
    public String issue() {
        byte[] time = ByteBuffer.allocate(TIME_LENGTH).putLong(clock.getAsLong()).array();
        byte[] out = Arrays.copyOf(time, TIME_LENGTH + TAG_LENGTH);
        System.arraycopy(tag(time), 0, out, TIME_LENGTH, TAG_LENGTH);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    /** Whether {@code nonce} is one we issued and how old it is; the tag is compared in constant time. */
    public Verdict check(String nonce) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce == null ? "" : nonce);
        } catch (IllegalArgumentException e) {
            return Verdict.INVALID;
        }
        if (raw.length != TIME_LENGTH + TAG_LENGTH) {
            return Verdict.INVALID;
        }
        byte[] time = Arrays.copyOf(raw, TIME_LENGTH);
        if (!MessageDigest.isEqual(tag(time), Arrays.copyOfRange(raw, TIME_LENGTH, raw.length))) {
            return Verdict.INVALID;
        }
        long age = clock.getAsLong() - ByteBuffer.wrap(time).getLong();
        // A nonce from the future is ours only if the clock stepped back: treat it as stale.
        return age >= 0 && age <= lifetimeMillis ? Verdict.VALID : Verdict.STALE;
    }

    /**
     * When {@code nonce} was issued; meaningful only for a nonce {@link #check} found ours.
     *
     * @throws IllegalArgumentException if it is not one of ours in form
     */
    public long issuedAt(String nonce) {
        byte[] raw = Base64.getUrlDecoder().decode(nonce);
        if (raw.length != TIME_LENGTH + TAG_LENGTH) {
            throw new IllegalArgumentException("not a nonce of ours");
        }
        return ByteBuffer.wrap(raw, 0, TIME_LENGTH).getLong();
    }

    private byte[] tag(byte[] time) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(time);
            mac.update(realm.getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(mac.doFinal(), TAG_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }
}

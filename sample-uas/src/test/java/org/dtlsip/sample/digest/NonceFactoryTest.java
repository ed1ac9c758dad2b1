package org.dtlsip.sample.digest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.dtlsip.sample.digest.NonceFactory.Verdict;
import org.junit.jupiter.api.Test;

class NonceFactoryTest {
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final NonceFactory nonces = new NonceFactory("example.org", 30_000, now::get, new SecureRandom());

    @Test
    void validUntilItsLifetimeThenStale() {
        String n = nonces.issue();
        assertEquals(Verdict.VALID, nonces.check(n));
        now.addAndGet(30_000);
        assertEquals(Verdict.VALID, nonces.check(n), "the last millisecond of its lifetime");
        now.addAndGet(1);
        assertEquals(Verdict.STALE, nonces.check(n));
        assertEquals(Verdict.VALID, nonces.check(nonces.issue()), "a fresh one is fine");
    }

    @Test
    void aNonceFromTheFutureIsStaleNotValid() {
        String n = nonces.issue();
        now.addAndGet(-1);
        assertEquals(Verdict.STALE, nonces.check(n));
    }

    @Test
    void anythingWeDidNotIssueIsInvalid() {
        String n = nonces.issue();
        byte[] raw = Base64.getUrlDecoder().decode(n);
        raw[raw.length - 1] ^= 1;
        assertEquals(Verdict.INVALID, nonces.check(Base64.getUrlEncoder().withoutPadding().encodeToString(raw)), "tag changed");
        raw = Base64.getUrlDecoder().decode(n);
        raw[7] ^= 1;
        assertEquals(Verdict.INVALID, nonces.check(Base64.getUrlEncoder().withoutPadding().encodeToString(raw)),
                "time changed: no extending a nonce's life");
        assertEquals(Verdict.INVALID, nonces.check("not base64 !"));
        assertEquals(Verdict.INVALID, nonces.check(""));
        assertEquals(Verdict.INVALID, nonces.check(null));
        assertEquals(Verdict.INVALID, nonces.check(n + "AAAA"), "wrong length");
        NonceFactory otherProcess = new NonceFactory("example.org", 30_000, now::get, new SecureRandom());
        assertEquals(Verdict.INVALID, otherProcess.check(n), "another secret");
        NonceFactory otherRealm = new NonceFactory("example.com", 30_000, now::get, new SecureRandom());
        assertNotEquals(Verdict.VALID, otherRealm.check(n));
    }
}

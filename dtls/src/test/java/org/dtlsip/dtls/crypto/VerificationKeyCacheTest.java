package org.dtlsip.dtls.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import org.junit.jupiter.api.Test;

class VerificationKeyCacheTest {
    private static final byte[] DATA = "ServerKeyExchange params".getBytes(StandardCharsets.US_ASCII);

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** The same key as a new JDK object, as a certificate parsed again in the next handshake yields. */
    private static PublicKey reparsed(PublicKey key) throws Exception {
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(key.getEncoded()));
    }

    @Test
    void theSameSubjectPublicKeyInfoGivesTheSameConvertedObject() throws Exception {
        VerificationKeyCache cache = VerificationKeyCache.withDefaults();
        PublicKey jdk = p256().getPublic();
        PublicKey first = cache.forVerification(jdk);
        PublicKey second = cache.forVerification(reparsed(jdk));
        assertSame(first, second);
        assertTrue(first.getClass().getName().startsWith("org.bouncycastle."), first.getClass().getName());
        assertEquals(1, cache.size());
    }

    @Test
    void aCachedKeyStillChecksEverySignature() throws Exception {
        VerificationKeyCache cache = VerificationKeyCache.withDefaults();
        KeyPair kp = p256();
        byte[] signature = Signatures.sign(SignatureScheme.ECDSA_SECP256R1_SHA256, kp.getPrivate(), DATA);
        for (int i = 0; i < 10; i++) { // past Bouncy Castle's switch to the fixed-point comb
            PublicKey key = cache.forVerification(reparsed(kp.getPublic()));
            assertTrue(Signatures.verify(SignatureScheme.ECDSA_SECP256R1_SHA256, key, DATA, signature));
            byte[] tampered = DATA.clone();
            tampered[i] ^= 1;
            assertFalse(Signatures.verify(SignatureScheme.ECDSA_SECP256R1_SHA256, key, tampered, signature));
        }
        KeyPair other = p256();
        assertFalse(Signatures.verify(SignatureScheme.ECDSA_SECP256R1_SHA256,
                cache.forVerification(other.getPublic()), DATA, signature), "another key's signature");
    }

    @Test
    void threadsSharingOneCachedKeyAllVerifyCorrectly() throws Exception {
        // Clients on several threads share one configuration, so one key object and Bouncy
        // Castle's precomputation on it, which is built and promoted while they verify.
        VerificationKeyCache cache = VerificationKeyCache.withDefaults();
        KeyPair kp = p256();
        byte[] signature = Signatures.sign(SignatureScheme.ECDSA_SECP256R1_SHA256, kp.getPrivate(), DATA);
        byte[] tampered = DATA.clone();
        tampered[0] ^= 1;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int wrong = 0;
                    for (int i = 0; i < 100; i++) {
                        PublicKey key = cache.forVerification(reparsed(kp.getPublic()));
                        wrong += Signatures.verify(SignatureScheme.ECDSA_SECP256R1_SHA256, key, DATA, signature) ? 0 : 1;
                        wrong += Signatures.verify(SignatureScheme.ECDSA_SECP256R1_SHA256, key, tampered, signature) ? 1 : 0;
                    }
                    return wrong;
                }));
            }
            for (java.util.concurrent.Future<Integer> r : results) {
                assertEquals(0, r.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, cache.size());
    }

    @Test
    void boundedLeastRecentlyUsedFirstOut() throws Exception {
        VerificationKeyCache cache = new VerificationKeyCache(2);
        PublicKey a = p256().getPublic();
        PublicKey b = p256().getPublic();
        PublicKey c = p256().getPublic();
        PublicKey cachedA = cache.forVerification(a);
        PublicKey cachedB = cache.forVerification(b);
        assertSame(cachedA, cache.forVerification(a)); // a is now the most recently used
        cache.forVerification(c);                     // evicts b
        assertEquals(2, cache.size());
        assertSame(cachedA, cache.forVerification(a));
        assertNotSame(cachedB, cache.forVerification(b), "b was evicted and converted again");
        assertEquals(2, cache.size());
    }

    @Test
    void rsaKeysPassThrough() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        PublicKey rsa = g.generateKeyPair().getPublic();
        VerificationKeyCache cache = VerificationKeyCache.withDefaults();
        assertSame(rsa, cache.forVerification(rsa));
        assertSame(rsa, cache.forVerification(reparsedRsa(rsa)));
    }

    private static PublicKey reparsedRsa(PublicKey key) throws Exception {
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(key.getEncoded()));
    }

    @Test
    void aNonPositiveSizeIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VerificationKeyCache(0));
        assertTrue(e.getMessage().contains("must be positive"), e.getMessage());
    }
}

package org.dtlsip.dtls.crypto;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The warm-up's fixed certificate and signature still verify, so every step runs to the end. */
class CryptoWarmUpTest {
    @Test
    void everyStepSucceeds() throws InterruptedException {
        assertTrue(CryptoWarmUp.run());
        Thread t = CryptoWarmUp.start();
        t.join();
        assertTrue(t.isDaemon());
    }
}

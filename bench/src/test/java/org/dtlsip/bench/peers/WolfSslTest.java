package org.dtlsip.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Parsing what wolfSSL 5.5.4's example client prints in benchmark mode ({@code -b 1}). */
class WolfSslTest {
    @Test
    void readsTheConnectTimeAsNanoseconds() {
        String out = "wolfSSL_connect avg took:  19.172 milliseconds\n";
        assertEquals(19_172_000L, WolfSsl.connectNanos(out).getAsLong());
    }

    @Test
    void reportsNothingWhenTheLineIsMissing() {
        assertTrue(WolfSsl.connectNanos("wolfSSL error: can't load client cert file\n").isEmpty());
    }
}

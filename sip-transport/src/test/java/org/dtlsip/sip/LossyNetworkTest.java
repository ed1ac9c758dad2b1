package org.dtlsip.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sip.Dialog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Acceptance 3: with 20% of datagrams lost in each direction below DTLS, calls complete
 * through DTLS handshake retransmission (RFC 6347 4.2.4) and SIP Timers A/E/G and 2xx
 * retransmission (RFC 3261 13.3.1.4, 17.1.1.2).
 */
@Timeout(120)
class LossyNetworkTest {
    static final int CALLS = 50;
    static final int CONCURRENT = 10;

    @Test
    void fiftyCallsCompleteAtTwentyPercentLoss() throws Exception {
        try (SipPeer alice = new SipPeer("alice"); SipPeer bob = new SipPeer("bob");
                LossyRelay relay = new LossyRelay(new InetSocketAddress("127.0.0.1", alice.port()),
                        new InetSocketAddress("127.0.0.1", bob.port()), 0.20, 20240605L)) {
            bob.advertised = relay.facingA();
            alice.advertised = relay.facingB();
            ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT);
            try {
                List<Future<?>> calls = new ArrayList<>();
                for (int i = 0; i < CALLS; i++) {
                    calls.add(callers.submit(() -> {
                        Dialog d = alice.call(bob, bob.advertised);
                        alice.hangUp(d);
                        return null;
                    }));
                }
                for (Future<?> f : calls) {
                    f.get(100, TimeUnit.SECONDS);
                }
            } finally {
                callers.shutdownNow();
            }
            assertTrue(relay.dropped() > 0, "the relay dropped datagrams");
            assertEquals(1, alice.processor().handshakesCompleted(), "one association despite loss");
            assertTrue(alice.ioExceptions.isEmpty(), "no transport errors");
        }
    }
}

package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ServerLimits} at their extreme: {@code Long.MAX_VALUE} for the handshake deadline or
 * the idle timeout means never. The sum with the clock once overflowed into a deadline in the
 * past, which evicted every handshake, or every established association, at its first wake.
 */
class ServerLimitsNeverTest {
    @Test
    void idleTimeoutOfLongMaxValue_NeverEvicts() throws IOException {
        MemoryNet net = new MemoryNet(DtlsServerLimitsTest.SERVER,
                ServerLimits.defaults().withIdleTimeoutMillis(Long.MAX_VALUE));
        List<InetSocketAddress> peers = net.establish(1, 3, DtlsServerLimitsTest.CLIENT);
        net.advance(ServerLimits.DEFAULT_IDLE_TIMEOUT_MILLIS * 10);
        assertEquals(3, net.server.stats().associations(), net.recorder.closed.toString());
        assertEquals(0, net.server.stats().evictions(ServerStats.Eviction.IDLE));
        DtlsServerLimitsTest.assertEstablishedAndEchoing(net, peers);
    }

    @Test
    void handshakeDeadlineOfLongMaxValue_LeavesAHandshakeToTheEnginesOwnTimeout() {
        MemoryNet net = new MemoryNet(DtlsServerLimitsTest.SERVER,
                ServerLimits.defaults().withHandshakeDeadlineMillis(Long.MAX_VALUE));
        net.halfOpenClient(MemoryNet.address(1), DtlsServerLimitsTest.CLIENT);
        net.run();
        net.advance(5_000); // retransmissions run; the engine's own handshake timeout is 45 s
        assertEquals(0, net.server.stats().evictions(ServerStats.Eviction.HANDSHAKE_DEADLINE), net.recorder.closed.toString());
        assertEquals(1, net.server.handshakesInProgress());
    }

    @Test
    void laterSaturates() {
        assertEquals(Long.MAX_VALUE, AssociationDriver.later(1_000, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, AssociationDriver.later(Long.MAX_VALUE - 1, 2));
        assertEquals(1_500, AssociationDriver.later(1_000, 500));
        assertEquals(Long.MAX_VALUE - 1, AssociationDriver.later(-1, Long.MAX_VALUE));
    }
}

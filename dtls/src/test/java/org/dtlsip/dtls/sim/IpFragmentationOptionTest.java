package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsException;
import org.junit.jupiter.api.Test;

/**
 * {@link DtlsEngine#allowIpFragmentation}: an application record larger than the PMTU, in one
 * datagram, only when the application asked for it (RFC 6347 4.1.1).
 */
class IpFragmentationOptionTest {
    private static SimulatedNetwork established(int pmtu, int serverRecordSizeLimit) {
        DtlsConfig.Builder server = TestKeys.server(TestKeys.ec()).pmtu(pmtu);
        DtlsConfig.Builder client = TestKeys.clientPinning(TestKeys.ec()).pmtu(pmtu);
        if (serverRecordSizeLimit > 0) {
            // RFC 8449 4: the extension is used only when both offer it.
            server.recordSizeLimit(serverRecordSizeLimit);
            client.recordSizeLimit(1 << 14);
        }
        SimulatedNetwork net = new SimulatedNetwork(client.build(), server.build(),
                SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(net.runHandshake(10_000));
        return net;
    }

    @Test
    void refusedAbovePmtuByDefault() {
        SimulatedNetwork net = established(1400, 0);
        int max = net.client().maxApplicationDataLength();
        assertTrue(max < 1400, "PMTU-bound: " + max);
        DtlsException e = assertThrows(DtlsException.class, () -> net.clientSend(new byte[6000]));
        assertTrue(e.getMessage().contains("6000 bytes exceeds the maximum of " + max) && e.getMessage().contains("allowIpFragmentation"),
                e.getMessage());
    }

    @Test
    void oneRecordInOneOversizedDatagramWhenAllowed() throws Exception {
        SimulatedNetwork net = established(1400, 0);
        net.client().allowIpFragmentation(16_384);
        assertEquals(16_384, net.client().maxApplicationDataLength());
        byte[] big = new byte[6000];
        Arrays.fill(big, (byte) 'x');
        int before = net.sent().size();
        net.clientSend(big);
        net.runUntil(net.now() + 100);
        assertEquals(before + 1, net.sent().size(), "one datagram");
        assertTrue(net.sent().get(before).bytes().length > 6000, "larger than the PMTU: the IP layer fragments it");
        assertArrayEquals(big, net.serverReceived().get(net.serverReceived().size() - 1));
        assertThrows(DtlsException.class, () -> net.clientSend(new byte[16_385]), "never above one record");
    }

    @Test
    void thePeersRecordSizeLimitStillBounds() {
        SimulatedNetwork net = established(1400, 4096);
        net.client().allowIpFragmentation(16_384);
        assertTrue(net.client().maxApplicationDataLength() <= 4096, "RFC 8449: " + net.client().maxApplicationDataLength());
    }

    @Test
    void badValuesAreRefused() {
        SimulatedNetwork net = established(1400, 0);
        assertThrows(IllegalArgumentException.class, () -> net.client().allowIpFragmentation(16_385));
        assertThrows(IllegalArgumentException.class, () -> net.client().allowIpFragmentation(-1));
    }
}

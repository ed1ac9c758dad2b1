package org.dtlsip.dtls.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.sim.SimulatedNetwork;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.Test;

/** The configurable backoff factor and the adaptive initial timer, on a virtual clock. */
class RetransmitTimerConfigTest {

    @Test
    void backoffFactorThreeSpacesRetransmissionsOneThreeNineSeconds() {
        DtlsConfig client = TestKeys.clientPinning(TestKeys.ec()).retransmitBackoff(3.0)
                .handshakeTimeoutMillis(30_000).build();
        SimulatedNetwork net = new SimulatedNetwork(client, TestKeys.server(TestKeys.ec()).build(),
                SimulatedNetwork.Conditions.perfect(), 1).filter(d -> false);
        net.runUntil(20_000);
        List<Long> times = net.sent().stream().filter(d -> d.toServer()).map(d -> d.time()).toList();
        assertEquals(List.of(0L, 1_000L, 4_000L, 13_000L), times);
    }

    @Test
    void defaultBackoffDoubles() {
        DtlsConfig client = TestKeys.clientPinning(TestKeys.ec()).handshakeTimeoutMillis(30_000).build();
        SimulatedNetwork net = new SimulatedNetwork(client, TestKeys.server(TestKeys.ec()).build(),
                SimulatedNetwork.Conditions.perfect(), 1).filter(d -> false);
        net.runUntil(20_000);
        List<Long> times = net.sent().stream().filter(d -> d.toServer()).map(d -> d.time()).toList();
        assertEquals(List.of(0L, 1_000L, 3_000L, 7_000L, 15_000L), times);
    }

    @Test
    void adaptiveTimerLearnsThreeRoundTripsFromTheCookieExchange() {
        DtlsConfig client = TestKeys.clientPinning(TestKeys.ec()).adaptiveRetransmit(true).build();
        SimulatedNetwork net = new SimulatedNetwork(client, TestKeys.server(TestKeys.ec()).build(),
                new SimulatedNetwork.Conditions(0, 0, 50, 50), 1);
        assertTrue(net.runHandshake(10_000));
        // ClientHello at 0, HelloVerifyRequest back at 100: RTT 100 ms, initial 300 ms.
        assertEquals(300, net.client().initialRetransmitMillis());
    }

    @Test
    void adaptiveTimerHasAFloorOnFastPaths() {
        DtlsConfig client = TestKeys.clientPinning(TestKeys.ec()).adaptiveRetransmit(true).build();
        SimulatedNetwork net = new SimulatedNetwork(client, TestKeys.server(TestKeys.ec()).build(),
                SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(net.runHandshake(10_000));
        assertEquals(DtlsConfig.MIN_ADAPTIVE_RETRANSMIT_MILLIS, net.client().initialRetransmitMillis());
    }

    @Test
    void adaptiveTimerTakesNoSampleFromARetransmittedFlight() {
        DtlsConfig client = TestKeys.clientPinning(TestKeys.ec()).adaptiveRetransmit(true).build();
        int[] toServer = {0};
        SimulatedNetwork net = new SimulatedNetwork(client, TestKeys.server(TestKeys.ec()).build(),
                new SimulatedNetwork.Conditions(0, 0, 50, 50), 1)
                .filter(d -> !d.toServer() || toServer[0]++ > 0); // first ClientHello lost
        assertTrue(net.runHandshake(10_000));
        // The retransmitted ClientHello is answered, but which copy was? No sample (Karn); the
        // next flight (ClientHello with cookie at 1100, server flight back at 1200) gives 100 ms.
        assertEquals(300, net.client().initialRetransmitMillis());
    }

    @Test
    void adaptiveTimerIsOffByDefault() {
        SimulatedNetwork net = new SimulatedNetwork(TestKeys.clientPinning(TestKeys.ec()).build(),
                TestKeys.server(TestKeys.ec()).build(), new SimulatedNetwork.Conditions(0, 0, 50, 50), 1);
        assertTrue(net.runHandshake(10_000));
        assertEquals(DtlsConfig.DEFAULT_INITIAL_RETRANSMIT_MILLIS, net.client().initialRetransmitMillis());
    }
}

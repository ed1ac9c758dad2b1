package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.junit.jupiter.api.Test;

/**
 * Flight retransmission (RFC 6347 4.2.4) on a simulated clock and network: loss, reordering
 * and duplication are decided by a seed, so every failure replays exactly.
 */
class RetransmissionTest {
    private static final DtlsConfig SERVER = TestKeys.server(TestKeys.ec()).build();

    private static DtlsConfig client(long handshakeTimeout) {
        return TestKeys.clientPinning(TestKeys.ec()).handshakeTimeoutMillis(handshakeTimeout).build();
    }

    private static DtlsConfig serverWith(long handshakeTimeout) {
        return SERVER.toBuilder().handshakeTimeoutMillis(handshakeTimeout).build();
    }

    @Test
    void handshakeCompletesOverThousandSeedsWithThirtyPercentLossReorderingAndDuplication() throws Exception {
        // Loss per datagram 30%, 10% duplicated, delays 1-300 ms so datagrams overtake each other.
        SimulatedNetwork.Conditions lossy = new SimulatedNetwork.Conditions(0.30, 0.10, 1, 300);
        DtlsConfig client = client(600_000);
        DtlsConfig server = serverWith(600_000);
        List<Long> failedSeeds = new ArrayList<>();
        long totalRetransmissions = 0;
        for (long seed = 0; seed < 1_000; seed++) {
            SimulatedNetwork net = new SimulatedNetwork(client, server, lossy, seed);
            if (!net.runHandshake(600_000)) {
                failedSeeds.add(seed);
                continue;
            }
            totalRetransmissions += net.client().retransmissions() + net.server().retransmissions();
            // Data still flows after the lossy handshake: send until one copy gets through.
            byte[] payload = ("seed " + seed).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 20 && net.serverReceived().isEmpty(); i++) {
                net.clientSend(payload);
                net.runUntil(net.now() + 1_000);
            }
            assertArrayEquals(payload, net.serverReceived().get(0), "seed " + seed);
        }
        assertTrue(failedSeeds.isEmpty(), "handshake failed for seeds " + failedSeeds);
        assertTrue(totalRetransmissions > 1_000, "30% loss must force retransmissions, saw " + totalRetransmissions);
    }

    @Test
    void clientRetransmitsAtOneTwoFourSecondIntervalsWhileTheServerIsSilent() {
        SimulatedNetwork net = new SimulatedNetwork(client(100_000), SERVER, SimulatedNetwork.Conditions.perfect(), 7)
                .filter(SimulatedNetwork.Datagram::toServer); // the server's answers are all lost
        net.runHandshake(70_000);
        List<Long> sendTimes = new ArrayList<>();
        for (SimulatedNetwork.Datagram d : net.sent()) {
            if (d.toServer()) {
                sendTimes.add(d.time());
            }
        }
        // First ClientHello at 0, then 1 s, 2 s, 4 s, 8 s, 16 s, 32 s of backoff (RFC 6347 4.2.4.1).
        assertEquals(List.of(0L, 1_000L, 3_000L, 7_000L, 15_000L, 31_000L, 63_000L), sendTimes);
        assertEquals(6, net.client().retransmissions());
    }

    @Test
    void backoffIsCappedAtTheConfiguredMaximum() {
        DtlsConfig capped = TestKeys.clientPinning(TestKeys.ec()).maxRetransmitMillis(4_000)
                .handshakeTimeoutMillis(100_000).build();
        SimulatedNetwork net = new SimulatedNetwork(capped, SERVER, SimulatedNetwork.Conditions.perfect(), 7)
                .filter(SimulatedNetwork.Datagram::toServer);
        net.runHandshake(20_000);
        List<Long> sendTimes = new ArrayList<>();
        net.sent().stream().filter(SimulatedNetwork.Datagram::toServer).forEach(d -> sendTimes.add(d.time()));
        assertEquals(List.of(0L, 1_000L, 3_000L, 7_000L, 11_000L, 15_000L, 19_000L), sendTimes);
    }

    @Test
    void handshakeDeadlineEndsInAClearFailure() {
        SimulatedNetwork net = new SimulatedNetwork(client(10_000), SERVER, SimulatedNetwork.Conditions.perfect(), 7)
                .filter(SimulatedNetwork.Datagram::toServer);
        net.runHandshake(60_000);
        assertEquals(DtlsEngine.Status.FAILED, net.client().status());
        assertEquals(10_000, net.now());
        assertTrue(net.client().failure().getMessage().contains("no answer from the peer within 10000 ms"),
                net.client().failure().getMessage());
        assertEquals(Long.MAX_VALUE, net.client().nextDeadline());
    }

    @Test
    void lostFinalServerFlightIsRecoveredByRetransmission() throws Exception {
        // Drop the server's first ChangeCipherSpec+Finished datagram: the client's timer resends
        // its flight, and the server answers the repeat with its final flight (RFC 6347 4.2.4).
        AtomicInteger serverFinalFlights = new AtomicInteger();
        SimulatedNetwork net = new SimulatedNetwork(client(60_000), SERVER, SimulatedNetwork.Conditions.perfect(), 3)
                .filter(d -> {
                    boolean finalFlight = !d.toServer() && containsType(d.bytes(), 20); // holds ChangeCipherSpec
                    return !(finalFlight && serverFinalFlights.getAndIncrement() == 0);
                });
        assertTrue(net.runHandshake(60_000), () -> String.valueOf(net.client().failure()));
        assertEquals(2, serverFinalFlights.get());
        assertEquals(1, net.client().retransmissions());
        assertEquals(1, net.server().retransmissions());
        assertTrue(net.now() >= 1_000, "recovered by the client's 1 s timer");
        net.clientSend("after recovery".getBytes(StandardCharsets.UTF_8));
        net.runUntil(net.now() + 10);
        assertEquals(1, net.serverReceived().size());
    }

    @Test
    void lostClientFinishedFlightIsRecoveredByServerRetransmission() {
        AtomicInteger clientFinalFlights = new AtomicInteger();
        SimulatedNetwork net = new SimulatedNetwork(client(60_000), SERVER, SimulatedNetwork.Conditions.perfect(), 4)
                .filter(d -> {
                    boolean clientKeyExchangeFlight = d.toServer() && containsType(d.bytes(), 20);
                    return !(clientKeyExchangeFlight && clientFinalFlights.getAndIncrement() == 0);
                });
        assertTrue(net.runHandshake(60_000));
        assertEquals(2, clientFinalFlights.get());
        assertNotNull(net.server().session());
    }

    /** Whether any record in the datagram has the given content type. */
    static boolean containsType(byte[] datagram, int type) {
        int off = 0;
        while (off + 13 <= datagram.length) {
            if ((datagram[off] & 0xff) == type) {
                return true;
            }
            off += 13 + (((datagram[off + 11] & 0xff) << 8) | (datagram[off + 12] & 0xff));
        }
        return false;
    }

    @Test
    void duplicatedApplicationRecordsAreDeliveredOnce() throws Exception {
        SimulatedNetwork.Conditions dup = new SimulatedNetwork.Conditions(0, 1.0, 1, 50);
        SimulatedNetwork net = new SimulatedNetwork(client(60_000), SERVER, dup, 5);
        assertTrue(net.runHandshake(60_000));
        for (int i = 0; i < 50; i++) {
            net.clientSend(("record " + i).getBytes(StandardCharsets.UTF_8));
        }
        net.runUntil(net.now() + 1_000);
        assertEquals(50, net.serverReceived().size(), "every record once, though each datagram arrived twice");
        assertTrue(net.server().drops().get(org.dtlsip.dtls.record.DropReason.REPLAY) >= 50);
    }

    @Test
    void karnsRule_aDuplicatedPeerFlightDoesNotPinTheAdaptiveTimer() {
        // RFC 6298 3 (Karn), RFC 6347 4.2.4.1: the server resends its flight when the ClientHello
        // arrives twice, 1 ms apart; that resend must not be taken for a 1 ms round trip, which
        // used to set the initial timer to its 100 ms floor for the rest of the association.
        DtlsConfig adaptive = SERVER.toBuilder().adaptiveRetransmit(true).cookieExchange(false).build();
        DtlsEngine client = DtlsEngine.client(client(60_000), 0);
        byte[] hello = client.pollDatagram();
        DtlsEngine server = DtlsEngine.server(adaptive, new org.dtlsip.dtls.engine.CookieExchange.Accept(0, 0), 0);
        server.receive(hello, 0);
        while (server.pollDatagram() != null) {
            // flight 2
        }
        server.receive(hello, 1);
        assertEquals(1, server.retransmissions(), "the repeat was answered");
        assertEquals(DtlsConfig.DEFAULT_INITIAL_RETRANSMIT_MILLIS, server.initialRetransmitMillis());
        assertEquals(1 + DtlsConfig.DEFAULT_INITIAL_RETRANSMIT_MILLIS, server.nextDeadline());
    }
}

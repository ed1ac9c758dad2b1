package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DTLS 1.3 reliability on the simulated network (RFC 9147 5.8, 7): one round trip without loss,
 * ACKs that make the sender resend only what is missing, the client's last flight recovered by
 * its timer and acknowledged, and completion under loss, reordering and duplication.
 */
class Dtls13ReliabilityTest {
    private static final CertifiedKey KEY = TestKeys.ec();

    private static DtlsConfig client() {
        return Dtls13HandshakeTest.client13(KEY).build();
    }

    /** Without the cookie exchange, so that the handshake is one round trip (the cookie adds one, RFC 9147 5.1). */
    /**
     * No NewSessionTicket: these tests count the handshake's own datagrams and bytes, and the
     * ticket (a flight of its own after the handshake, with the client's ACK) would add to them;
     * {@code Dtls13ResumptionTest} covers it.
     */
    private static DtlsConfig server(int pmtu) {
        return Dtls13HandshakeTest.server13(KEY).cookieExchange(false).sessionTickets(false).pmtu(pmtu).build();
    }

    private static DtlsConfig serverWithCookies() {
        return Dtls13HandshakeTest.server13(KEY).sessionTickets(false).build();
    }

    private static List<SimulatedNetwork.Datagram> from(SimulatedNetwork net, boolean client) {
        List<SimulatedNetwork.Datagram> out = new ArrayList<>();
        for (SimulatedNetwork.Datagram d : net.sent()) {
            if (d.toServer() == client) {
                out.add(d);
            }
        }
        return out;
    }

    /** RFC 9147 5: ClientHello, the server's flight, the client's Finished, and the server's ACK of it. */
    @Test
    void fullHandshakeTakesOneRoundTripWithoutLoss() {
        SimulatedNetwork net = new SimulatedNetwork(client(), server(1400), SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(net.runHandshake(10_000));
        net.runUntil(net.now() + 5_000);
        List<SimulatedNetwork.Datagram> fromClient = from(net, true);
        List<SimulatedNetwork.Datagram> fromServer = from(net, false);
        assertEquals(2, fromClient.size(), "ClientHello and the last flight");
        assertEquals(fromClient.get(0).time() + 1, fromServer.get(0).time(), "the server answers the hello at once");
        assertEquals(fromServer.get(0).time(), fromServer.get(fromServer.size() - 2).time(), "its flight leaves at once");
        assertEquals(0, net.client().retransmissions());
        assertEquals(0, net.server().retransmissions());
        assertEquals(Long.MAX_VALUE, net.client().nextDeadline(), "the server's ACK ended the client's retransmissions");
    }

    /**
     * RFC 9147 7.1, 7.2: one datagram of the server's flight is lost; the client ACKs what it
     * holds and the server resends exactly the lost records' bytes, not the flight.
     */
    @Test
    void afterALossOnlyUnacknowledgedRecordsAreResent() {
        AtomicInteger serverDatagrams = new AtomicInteger();
        List<byte[]> lost = new ArrayList<>();
        SimulatedNetwork net = new SimulatedNetwork(client(), server(400), SimulatedNetwork.Conditions.perfect(), 1)
                .filter(d -> {
                    if (!d.toServer() && serverDatagrams.incrementAndGet() == 2) {
                        lost.add(d.bytes());
                        return false;
                    }
                    return true;
                });
        assertTrue(net.runHandshake(10_000));
        List<SimulatedNetwork.Datagram> fromServer = from(net, false);
        long firstFlight = fromServer.get(0).time();

        int flightBytes = 0;
        int resent = 0;
        // The server's last datagram is its ACK of the client's Finished, not a retransmission.
        for (SimulatedNetwork.Datagram d : fromServer.subList(0, fromServer.size() - 1)) {
            if (d.time() == firstFlight) {
                flightBytes += d.bytes().length;
            } else {
                resent += d.bytes().length;
            }
        }
        assertTrue(fromServer.stream().filter(d -> d.time() == firstFlight).count() >= 3, "the flight spans datagrams");
        assertEquals(1, net.server().retransmissions());
        assertEquals(lost.get(0).length, resent, "the resent bytes are the lost datagram's, of a " + flightBytes + "-byte flight");
    }

    /** RFC 9147 5.8.4: the client's Finished is lost; its timer resends it and the server's ACK stops the timer. */
    @Test
    void lostFinalFlightIsRecoveredByTheTimerAndAcknowledged() {
        // The filter sees what is sent after the ClientHello: the first client datagram is its Finished.
        AtomicInteger clientDatagrams = new AtomicInteger();
        SimulatedNetwork net = new SimulatedNetwork(client(), server(1400), SimulatedNetwork.Conditions.perfect(), 1)
                .filter(d -> !(d.toServer() && clientDatagrams.incrementAndGet() == 1));
        assertTrue(net.runHandshake(10_000));
        net.runUntil(net.now() + 10_000);
        assertEquals(1, net.client().retransmissions());
        assertEquals(Long.MAX_VALUE, net.client().nextDeadline());
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.server().status());
    }

    /** RFC 9147 7: the server's ACK of the client's Finished is lost; the client resends and is ACKed again. */
    @Test
    void lostAckIsAnsweredWhenTheFinishedComesAgain() {
        AtomicInteger serverDatagrams = new AtomicInteger();
        SimulatedNetwork probe = new SimulatedNetwork(client(), server(1400), SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(probe.runHandshake(10_000));
        probe.runUntil(probe.now() + 5_000);
        int ackIndex = from(probe, false).size();
        SimulatedNetwork net = new SimulatedNetwork(client(), server(1400), SimulatedNetwork.Conditions.perfect(), 1)
                .filter(d -> d.toServer() || serverDatagrams.incrementAndGet() != ackIndex);
        assertTrue(net.runHandshake(10_000));
        net.runUntil(net.now() + 10_000);
        assertEquals(1, net.client().retransmissions());
        assertEquals(Long.MAX_VALUE, net.client().nextDeadline(), "the second ACK arrived");
    }

    /**
     * Completion under 30 % loss with 10 % duplication and 1-300 ms delays (so datagrams
     * overtake each other), 1,000 seeds in ten blocks, half of them through the stateless cookie
     * exchange, and data still flowing afterwards; as RetransmissionTest does for DTLS 1.2, the
     * handshake timeout is lifted so that only a real failure to make progress counts.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void completesUnderLossReorderingAndDuplication(int block) throws Exception {
        SimulatedNetwork.Conditions lossy = new SimulatedNetwork.Conditions(0.3, 0.1, 1, 300);
        DtlsConfig client = Dtls13HandshakeTest.client13(KEY).handshakeTimeoutMillis(600_000).build();
        DtlsConfig statelessServer = Dtls13HandshakeTest.server13(KEY).handshakeTimeoutMillis(600_000).build();
        DtlsConfig server = Dtls13HandshakeTest.server13(KEY).cookieExchange(false).handshakeTimeoutMillis(600_000).build();
        List<Integer> failed = new ArrayList<>();
        for (int seed = block * 100; seed < (block + 1) * 100; seed++) {
            SimulatedNetwork net = new SimulatedNetwork(client, seed % 2 == 0 ? server : statelessServer, lossy, seed);
            if (!net.runHandshake(600_000)) {
                failed.add(seed);
                continue;
            }
            assertEquals("DTLSv1.3", net.client().session().protocol());
            byte[] payload = ("seed " + seed).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (int i = 0; i < 20 && net.serverReceived().isEmpty(); i++) {
                net.clientSend(payload);
                net.runUntil(net.now() + 1_000);
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(payload, net.serverReceived().get(0), "seed " + seed);
        }
        assertTrue(failed.isEmpty(), "handshake failed for seeds " + failed);
    }
}

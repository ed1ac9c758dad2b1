package org.dtlsip.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Flights and round trips as the relay counts them from the direction of handshake datagrams. */
class CountingRelayFlightsTest {
    private static final boolean C2S = true;
    private static final boolean S2C = false;

    private static CountingRelay.Observation observe(boolean... directions) {
        CountingRelay.Observation o = new CountingRelay.Observation(0);
        long now = 0;
        for (boolean toServer : directions) {
            o.count(toServer, 100, ++now);
        }
        return o;
    }

    @Test
    void dtls12WithHelloVerifyRequestIsSixFlightsThreeRoundTrips() {
        // ClientHello, HelloVerifyRequest, ClientHello, ServerHello..Done (two datagrams),
        // ClientKeyExchange+CCS+Finished, CCS+Finished (RFC 6347 4.2.4).
        CountingRelay.Observation o = observe(C2S, S2C, C2S, S2C, S2C, C2S, S2C);
        assertEquals(6, o.flights());
        assertEquals(3, o.roundTrips());
        assertEquals(7, o.datagrams());
        assertEquals(300, o.bytesToServer);
        assertEquals(400, o.bytesToClient);
        assertEquals(7, o.wireNanos());
    }

    @Test
    void dtls13WithCookieIsFiveFlightsTwoRoundTrips() {
        // ClientHello, HelloRetryRequest, ClientHello, ServerHello..Finished, Finished (RFC 9147 5).
        CountingRelay.Observation o = observe(C2S, S2C, C2S, S2C, C2S);
        assertEquals(5, o.flights());
        assertEquals(2, o.roundTrips());
    }

    @Test
    void dtls13WithoutCookieIsOneRoundTrip() {
        CountingRelay.Observation o = observe(C2S, S2C, S2C, C2S);
        assertEquals(3, o.flights());
        assertEquals(1, o.roundTrips());
    }

    @Test
    void aRetransmissionInTheSameDirectionAddsNoFlight() {
        CountingRelay.Observation o = observe(C2S, C2S, S2C, C2S);
        assertEquals(3, o.flights());
        assertEquals(4, o.datagrams());
    }
}

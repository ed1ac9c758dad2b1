package org.dtlsip.dtls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.dtlsip.dtls.config.DtlsConfig;
import org.junit.jupiter.api.Test;

/**
 * The retransmission timer's round-trip learning (adaptive mode) obeys Karn's rule (RFC 6298 3,
 * which RFC 6347 4.2.4.1 follows): only a flight sent once and answered gives a sample.
 */
class RetransmitTimerTest {
    private static RetransmitTimer adaptive() {
        return new RetransmitTimer(1_000, 60_000, 2.0, true);
    }

    @Test
    void aFlightAnsweredWithoutRetransmissionIsASample() {
        RetransmitTimer t = adaptive();
        t.startNewFlight(0);
        t.startNewFlight(40); // answered after 40 ms: the next flight starts
        assertEquals(40 * DtlsConfig.ADAPTIVE_RTT_FACTOR, t.initialMillis());
    }

    @Test
    void karnsRule_aFlightResentBecauseThePeerRepeatedItsOwnIsNoSample() {
        // The peer's repeat arrives 2 ms after our flight (a duplicated datagram): we resend.
        // Neither that moment nor the answer to the resent flight times a round trip.
        RetransmitTimer t = adaptive();
        t.startNewFlight(0);
        t.restartAfterPeerRetransmission(2);
        assertEquals(1_000, t.initialMillis(), "the peer's repeat is not an answer");
        t.startNewFlight(30);
        assertEquals(1_000, t.initialMillis(), "nobody knows which copy was answered");
        t.startNewFlight(70); // a flight sent once and answered: now a sample
        assertEquals(40 * DtlsConfig.ADAPTIVE_RTT_FACTOR, t.initialMillis());
    }

    @Test
    void karnsRule_aFlightResentByOurTimerIsNoSample() {
        RetransmitTimer t = adaptive();
        t.startNewFlight(0);
        t.backOff(1_000);
        t.startNewFlight(1_010);
        assertEquals(1_000, t.initialMillis());
    }

    @Test
    void aPeerTriggeredResendStillResetsTheBackoff() {
        RetransmitTimer t = adaptive();
        t.startNewFlight(0);
        t.backOff(1_000);
        assertEquals(2_000, t.currentMillis());
        t.restartAfterPeerRetransmission(1_500);
        assertEquals(1_000, t.currentMillis());
        assertEquals(2_500, t.deadline());
    }
}

package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsSession;
import org.dtlsip.dtls.engine.ResumableSession;
import org.dtlsip.dtls.engine.SessionTicketKeys;
import org.junit.jupiter.api.Test;

/** Session resumption by cache (RFC 5246 7.3) and by ticket (RFC 5077), both sides ours. */
class ResumptionTest {

    private static SimulatedNetwork handshake(DtlsConfig client, DtlsConfig server, long seed) {
        SimulatedNetwork net = new SimulatedNetwork(client, server, SimulatedNetwork.Conditions.perfect(), seed);
        assertTrue(net.runHandshake(10_000), () -> String.valueOf(net.client().failure()) + " / " + net.server().failure());
        net.runUntil(net.now() + 100);
        return net;
    }

    /** Handshake datagrams the server sent that carry a Certificate message (handshake type 11). */
    private static long certificateDatagrams(SimulatedNetwork net) {
        return net.sent().stream().filter(d -> !d.toServer()).filter(d -> d.bytes().length > 25
                && (d.bytes()[0] & 0xff) == 22 && containsHandshakeType(d.bytes(), 11)).count();
    }

    private static boolean containsHandshakeType(byte[] datagram, int type) {
        int off = 0;
        while (off + 13 < datagram.length) {
            int len = ((datagram[off + 11] & 0xff) << 8) | (datagram[off + 12] & 0xff);
            int epoch = ((datagram[off + 3] & 0xff) << 8) | (datagram[off + 4] & 0xff);
            if ((datagram[off] & 0xff) == 22 && epoch == 0 && (datagram[off + 13] & 0xff) == type) {
                return true;
            }
            off += 13 + len;
        }
        return false;
    }

    @Test
    void ticketResumptionIsAbbreviated() {
        DtlsConfig server = TestKeys.server(TestKeys.ec()).sessionCache(null).build();
        SimulatedNetwork first = handshake(TestKeys.clientPinning(TestKeys.ec()).requestSessionTickets(true).build(), server, 1);
        DtlsSession s1 = first.client().session();
        ResumableSession saved = s1.resumable();
        assertNotNull(saved, "a ticket was issued");
        assertTrue(saved.ticket().length > 0);
        assertEquals(0, saved.sessionId().length, "no cache, so no server session ID");
        assertEquals(1, certificateDatagrams(first));

        SimulatedNetwork second = handshake(TestKeys.clientPinning(TestKeys.ec()).resumeSession(saved).build(), server, 2);
        assertTrue(second.client().session().resumed());
        assertTrue(second.server().session().resumed());
        assertEquals(0, certificateDatagrams(second), "no Certificate message in an abbreviated handshake");
        assertEquals(s1.cipherSuite(), second.client().session().cipherSuite());
        assertEquals(1, second.client().session().peerCertificates().size(), "peer chain carried over");
        assertFalse(java.util.Arrays.equals(s1.exportKeyingMaterial("x", null, 16),
                second.client().session().exportKeyingMaterial("x", null, 16)), "fresh randoms, fresh keys");
        assertArrayEquals(second.server().session().exportKeyingMaterial("x", null, 16),
                second.client().session().exportKeyingMaterial("x", null, 16));
    }

    @Test
    void cacheResumptionIsAbbreviated() throws Exception {
        DtlsConfig server = TestKeys.server(TestKeys.ec()).sessionTickets(false).build();
        DtlsConfig clientConfig = TestKeys.clientPinning(TestKeys.ec()).build();
        SimulatedNetwork first = handshake(clientConfig, server, 3);
        ResumableSession saved = first.client().session().resumable();
        assertEquals(32, saved.sessionId().length);
        assertEquals(0, saved.ticket().length);
        // The saved session survives the PEM round trip used by -sess_out / -sess_in.
        ResumableSession restored = ResumableSession.fromPem(saved.toPem());

        SimulatedNetwork second = handshake(clientConfig.toBuilder().resumeSession(restored).build(), server, 4);
        assertTrue(second.server().session().resumed());
        assertArrayEquals(saved.sessionId(), second.client().session().sessionId());
        assertEquals(0, certificateDatagrams(second));
        second.clientSend(new byte[] {42});
        second.runUntil(second.now() + 10);
        assertArrayEquals(new byte[] {42}, second.serverReceived().get(0));
    }

    @Test
    void ticketUnderARetiredKeyFallsBackToAFullHandshake() {
        SessionTicketKeys keys = new SessionTicketKeys(new SecureRandom(), 1_000);
        DtlsConfig server = TestKeys.server(TestKeys.ec()).sessionCache(null).sessionTicketKeys(keys).build();
        SimulatedNetwork first = handshake(TestKeys.clientPinning(TestKeys.ec()).requestSessionTickets(true).build(), server, 5);
        ResumableSession saved = first.client().session().resumable();
        keys.rotate(0);
        keys.rotate(0); // the key that sealed the ticket is now two generations old: retired
        SimulatedNetwork second = handshake(TestKeys.clientPinning(TestKeys.ec()).requestSessionTickets(true)
                .resumeSession(saved).build(), server, 6);
        assertFalse(second.server().session().resumed());
        assertFalse(second.client().session().resumed());
        assertEquals(1, certificateDatagrams(second));
        assertNotNull(second.client().session().resumable().ticket(), "a fresh ticket replaces the dead one");
    }

    @Test
    void lostFinalClientFlightOfAnAbbreviatedHandshakeIsRecovered() {
        DtlsConfig server = TestKeys.server(TestKeys.ec()).build();
        ResumableSession saved = handshake(TestKeys.clientPinning(TestKeys.ec()).build(), server, 7).client().session().resumable();
        int[] clientFinals = {0};
        SimulatedNetwork net = new SimulatedNetwork(TestKeys.clientPinning(TestKeys.ec()).resumeSession(saved).build(), server,
                SimulatedNetwork.Conditions.perfect(), 8).filter(d -> !(d.toServer()
                        && RetransmissionTest.containsType(d.bytes(), 20) && clientFinals[0]++ == 0));
        assertTrue(net.runHandshake(10_000));
        assertTrue(net.server().session().resumed());
        assertEquals(2, clientFinals[0]);
    }

    @Test
    void sessionOfferedWithADisabledSuiteIsNotResumed() {
        DtlsConfig server = TestKeys.server(TestKeys.ec()).build();
        ResumableSession saved = handshake(TestKeys.clientPinning(TestKeys.ec()).build(), server, 9).client().session().resumable();
        DtlsConfig narrower = server.toBuilder().cipherSuites("ECDHE-ECDSA-CHACHA20-POLY1305").build();
        SimulatedNetwork second = handshake(TestKeys.clientPinning(TestKeys.ec()).resumeSession(saved)
                .cipherSuites(List.of(saved.state().suite(),
                        org.dtlsip.dtls.crypto.CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)).build(), narrower, 10);
        assertFalse(second.client().session().resumed());
    }
}

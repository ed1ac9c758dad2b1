package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Tls13CipherSuite;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.ResumableSession;
import org.dtlsip.dtls.engine.SessionTicketKeys;
import org.dtlsip.dtls.engine.Tls13Ticket;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resumption with DTLS 1.3 tickets (RFC 8446 2.2, 4.2.11, 4.6.1) between our client and server:
 * the server's NewSessionTicket after the handshake, the client's pre_shared_key offer with its
 * binder, a resumed handshake without certificates, and every way a ticket is refused.
 */
class Dtls13ResumptionTest {
    private static final long LONG = 7_200_000;

    private static DtlsConfig.Builder client(CertifiedKey key) {
        return TestKeys.clientPinning(key).protocols(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2);
    }

    private static DtlsConfig.Builder server(CertifiedKey key, SessionTicketKeys keys) {
        return TestKeys.server(key).protocols(ProtocolVersion.DTLS_1_3, ProtocolVersion.DTLS_1_2).sessionTicketKeys(keys);
    }

    private static SessionTicketKeys keys() {
        return new SessionTicketKeys(new java.security.SecureRandom(), LONG);
    }

    /** A full handshake; returns the ticket the client kept once the NewSessionTicket arrived. */
    private static ResumableSession fullHandshake(DtlsConfig client, DtlsConfig server) {
        SimulatedNetwork net = Dtls13HandshakeTest.established(client, server);
        assertFalse(net.client().session().resumed());
        net.runUntil(net.now() + 100);
        ResumableSession saved = net.client().session().resumable();
        assertNotNull(saved, "the client kept the server's ticket");
        assertTrue(saved.isDtls13());
        return saved;
    }

    private static long serverHandshakeBytes(SimulatedNetwork net) {
        return net.sent().stream().filter(d -> !d.toServer()).mapToLong(d -> d.bytes().length).sum();
    }

    @ParameterizedTest(name = "cookie exchange {0}")
    @ValueSource(booleans = {true, false})
    void aTicketResumesWithoutCertificatesAndKeysAgree(boolean cookie) throws Exception {
        CertifiedKey key = TestKeys.ec();
        SessionTicketKeys keys = keys();
        DtlsConfig serverConfig = server(key, keys).cookieExchange(cookie).build();
        ResumableSession saved = fullHandshake(client(key).build(), serverConfig);

        SimulatedNetwork net = Dtls13HandshakeTest.established(client(key).resumeSession(saved).build(), serverConfig);
        assertTrue(net.client().session().resumed());
        assertTrue(net.server().session().resumed());
        assertEquals("DTLSv1.3", net.client().session().protocol());
        assertArrayEquals(key.leaf().getEncoded(), net.client().session().peerCertificates().get(0).getEncoded(),
                "the server's certificate as the full handshake saw it");
        assertArrayEquals(net.client().session().exportKeyingMaterial("EXPERIMENTAL r", new byte[0], 32),
                net.server().session().exportKeyingMaterial("EXPERIMENTAL r", new byte[0], 32));
        SimulatedNetwork full = Dtls13HandshakeTest.established(client(key).build(), serverConfig);
        long resumedBytes = serverHandshakeBytes(net);
        long fullBytes = serverHandshakeBytes(full);
        assertTrue(resumedBytes <= fullBytes - key.leaf().getEncoded().length,
                "no Certificate or CertificateVerify in the resumed flight: " + resumedBytes + " against " + fullBytes);
        Dtls13HandshakeTest.exchangeAndClose(net);
        // The resumed session issues a ticket of its own.
        assertNotNull(net.client().session().resumable());
    }

    @Test
    void aForgedBinderIsDecryptError() {
        CertifiedKey key = TestKeys.ec();
        SessionTicketKeys keys = keys();
        DtlsConfig serverConfig = server(key, keys).build();
        ResumableSession saved = fullHandshake(client(key).build(), serverConfig);
        Tls13Ticket t = saved.tls13();
        byte[] wrongPsk = t.state().psk();
        wrongPsk[0] ^= 1;
        Tls13Ticket forged = new Tls13Ticket(t.ticket(), t.ageAdd(), t.lifetimeSeconds(),
                new org.dtlsip.dtls.engine.Tls13SessionState(t.state().suite(), wrongPsk, t.state().createdMillis(),
                        t.state().serverName(), t.state().peerCertificates()));
        SimulatedNetwork net = new SimulatedNetwork(client(key).resumeSession(ResumableSession.of(forged)).build(), serverConfig,
                SimulatedNetwork.Conditions.perfect(), 1);
        net.runHandshake(10_000);
        assertNotNull(net.server(), "the server made an association for the hello with a cookie");
        assertEquals(DtlsEngine.Status.FAILED, net.server().status(), () -> net.client().status() + " " + net.client().failure());
        assertEquals(AlertDescription.DECRYPT_ERROR, net.server().failure().alert());
        // The server's alert goes out in plaintext epoch 0, which a 1.3 client in the hello
        // phase does not take on trust; either way it never completes.
        assertTrue(net.client().status() != DtlsEngine.Status.ESTABLISHED);
    }

    /** RFC 8446 4.2.11: a ticket the server cannot use (not its key, garbage, expired) means a full handshake. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"other server keys", "garbage ticket", "expired"})
    void anUnusableTicketFallsBackToAFullHandshake(String why) throws Exception {
        CertifiedKey key = TestKeys.ec();
        SessionTicketKeys keys = keys();
        ResumableSession saved = fullHandshake(client(key).build(), server(key, keys).build());
        SessionTicketKeys serverKeys = why.equals("other server keys") ? keys()
                : why.equals("expired") ? new SessionTicketKeys(new java.security.SecureRandom(), LONG, 2_000) : keys;
        if (why.equals("expired")) {
            // Tickets of keys that accept them for 2 s; the client is told (here: falsely) an hour,
            // so it still offers the ticket when the server no longer takes it.
            Tls13Ticket t = fullHandshake(client(key).build(), server(key, serverKeys).build()).tls13();
            saved = ResumableSession.of(new Tls13Ticket(t.ticket(), t.ageAdd(), 3_600, t.state()));
        }
        if (why.equals("garbage ticket")) {
            Tls13Ticket t = saved.tls13();
            byte[] garbage = new byte[t.ticket().length];
            new java.util.Random(7).nextBytes(garbage);
            saved = ResumableSession.of(new Tls13Ticket(garbage, t.ageAdd(), t.lifetimeSeconds(), t.state()));
        }
        DtlsConfig serverConfig = server(key, serverKeys).build();
        // Met 3 s later: past the 2 s an expiring ticket has on the server's clock.
        SimulatedNetwork net = new SimulatedNetwork(client(key).resumeSession(saved).build(), serverConfig,
                SimulatedNetwork.Conditions.perfect(), 1, 3_000);
        assertTrue(net.runHandshake(10_000), () -> String.valueOf(net.client().failure()));
        assertFalse(net.client().session().resumed());
        assertFalse(net.server().session().resumed());
        assertEquals("DTLSv1.3", net.client().session().protocol());
        Dtls13HandshakeTest.exchangeAndClose(net);
    }

    @Test
    void aTicketIsNotOfferedForAnotherServerNameOrSuite() throws Exception {
        CertifiedKey key = TestKeys.ec();
        SessionTicketKeys keys = keys();
        DtlsConfig serverConfig = server(key, keys).build();
        ResumableSession saved = fullHandshake(client(key).build(), serverConfig);
        SimulatedNetwork net = Dtls13HandshakeTest.established(client(key).resumeSession(saved)
                .tls13CipherSuites(List.of(Tls13CipherSuite.TLS_AES_256_GCM_SHA384)).build(), serverConfig);
        assertFalse(net.client().session().resumed(), "the ticket's suite is not offered: no PSK");
    }

    /** A ticket from a session without a client certificate never stands in for one now required. */
    @Test
    void aTicketWithoutAClientCertificateDoesNotResumeWhereOneIsRequired() throws Exception {
        CertifiedKey key = TestKeys.ec();
        SessionTicketKeys keys = keys();
        ResumableSession saved = fullHandshake(client(key).build(), server(key, keys).build());
        DtlsConfig requiring = server(key, keys).clientAuth(DtlsConfig.ClientAuth.NEED)
                .peerVerifier(org.dtlsip.dtls.crypto.PeerVerifier.fingerprints(
                        List.of(org.dtlsip.dtls.crypto.Fingerprint.sha256(key.leaf())))).build();
        SimulatedNetwork net = Dtls13HandshakeTest.established(client(key).certifiedKey(key).resumeSession(saved).build(),
                requiring);
        assertFalse(net.server().session().resumed());
        assertEquals(1, net.server().session().peerCertificates().size(), "the client proved itself in a full handshake");
    }

    /**
     * RFC 8446 2.2, 4.6.1 (review): a ticket never authenticates more than a full handshake
     * would now; a client certificate the server's verifier no longer accepts (revoked, or
     * another verifier sharing the ticket keys) means a full handshake, which then refuses it.
     */
    @Test
    void aClientCertificateNoLongerTrustedDoesNotResume() throws Exception {
        CertifiedKey key = TestKeys.ec();
        CertifiedKey other = org.dtlsip.dtls.crypto.SelfSigned.ecdsa("someone else", org.dtlsip.dtls.crypto.NamedGroup.SECP256R1);
        SessionTicketKeys keys = keys();
        DtlsConfig trusting = server(key, keys).clientAuth(DtlsConfig.ClientAuth.NEED)
                .peerVerifier(org.dtlsip.dtls.crypto.PeerVerifier.fingerprints(
                        List.of(org.dtlsip.dtls.crypto.Fingerprint.sha256(key.leaf())))).build();
        ResumableSession saved = fullHandshake(client(key).certifiedKey(key).build(), trusting);
        DtlsConfig distrusting = trusting.toBuilder().peerVerifier(org.dtlsip.dtls.crypto.PeerVerifier.fingerprints(
                List.of(org.dtlsip.dtls.crypto.Fingerprint.sha256(other.leaf())))).build();
        SimulatedNetwork net = new SimulatedNetwork(client(key).certifiedKey(key).resumeSession(saved).build(), distrusting,
                SimulatedNetwork.Conditions.perfect(), 1);
        net.runHandshake(20_000);
        assertTrue(net.server() != null && net.server().session() == null, "no session: the full handshake refused the client");
        assertEquals(DtlsEngine.Status.FAILED, net.server().status());
        // And with the verifier that still trusts it, the same ticket resumes.
        SimulatedNetwork again = Dtls13HandshakeTest.established(client(key).certifiedKey(key).resumeSession(saved).build(),
                trusting);
        assertTrue(again.server().session().resumed());
    }

    /** RFC 9147 5.8.4: the NewSessionTicket is a flight of its own, resent until the client ACKs it. */
    @Test
    void aLostNewSessionTicketIsResent() throws Exception {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = new SimulatedNetwork(client(key).build(), server(key, keys()).build(),
                SimulatedNetwork.Conditions.perfect(), 1);
        int[] seen = {0};
        // The server's datagrams once its handshake is complete (its ACK, then the ticket): the first two are lost.
        net.filter(d -> d.toServer() || net.server() == null || net.server().status() != DtlsEngine.Status.ESTABLISHED
                || seen[0]++ >= 2);
        assertTrue(net.runHandshake(10_000));
        net.runUntil(net.now() + 5_000);
        assertNotNull(net.client().session().resumable(), "the ticket came again");
        assertTrue(net.server().retransmissions() > 0);
    }

    @Test
    void serverWithoutTicketsSendsNoNewSessionTicket() throws Exception {
        CertifiedKey key = TestKeys.ec();
        SimulatedNetwork net = Dtls13HandshakeTest.established(client(key).build(),
                TestKeys.server(key).protocols(ProtocolVersion.DTLS_1_3).sessionTickets(false).build());
        net.runUntil(net.now() + 100);
        assertNull(net.client().session().resumable());
    }

    @Test
    void theSavedTicketSurvivesPemEncoding() {
        CertifiedKey key = TestKeys.ec();
        ResumableSession saved = fullHandshake(client(key).build(), server(key, keys()).build());
        ResumableSession back = ResumableSession.fromPem(saved.toPem());
        assertTrue(back.isDtls13());
        assertArrayEquals(saved.tls13().ticket(), back.tls13().ticket());
        assertArrayEquals(saved.tls13().state().psk(), back.tls13().state().psk());
        assertEquals(HandshakeType.NEW_SESSION_TICKET, HandshakeType.NEW_SESSION_TICKET);
    }
}

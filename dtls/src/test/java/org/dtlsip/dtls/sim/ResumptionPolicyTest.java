package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.CipherSuite;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.TestCertificate;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.ResumableSession;
import org.dtlsip.dtls.engine.SessionCache;
import org.dtlsip.dtls.engine.SessionTicketKeys;
import org.junit.jupiter.api.Test;

/**
 * An abbreviated handshake gives no more than a full one would: a session resumes only where
 * the current configuration would accept how the peer was first authenticated (client
 * authentication, verifier, expected name and server_name, suite), within its lifetime, and
 * never after its connection ended with a fatal alert (RFC 5246 7.2.2).
 */
class ResumptionPolicyTest {
    private static final CertifiedKey CA = TestCertificate.ca("resumption CA");
    private static final CertifiedKey SERVER_KEY = TestCertificate.leaf("a.example").dns("a.example").issuedBy(CA).build();
    private static final CertifiedKey CLIENT_KEY = TestCertificate.leaf("alice").dns("alice.example").issuedBy(CA).build();

    private static SimulatedNetwork run(DtlsConfig client, DtlsConfig server, long seed, long start) {
        SimulatedNetwork net = new SimulatedNetwork(client, server, SimulatedNetwork.Conditions.perfect(), seed, start);
        net.runHandshake(start + 10_000);
        net.runUntil(net.now() + 100);
        return net;
    }

    private static SimulatedNetwork established(DtlsConfig client, DtlsConfig server, long seed, long start) {
        SimulatedNetwork net = run(client, server, seed, start);
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.client().status(), () -> String.valueOf(net.client().failure()));
        assertEquals(DtlsEngine.Status.ESTABLISHED, net.server().status(), () -> String.valueOf(net.server().failure()));
        return net;
    }

    private static DtlsConfig.Builder client() {
        return DtlsConfig.forClient().protocols(ProtocolVersion.DTLS_1_2).peerVerifier(PeerVerifier.pkix(List.of(CA.leaf()))).expectedServerName("a.example")
                .certifiedKey(CLIENT_KEY).requestSessionTickets(true);
    }

    private static DtlsConfig.Builder server(SessionTicketKeys keys) {
        return DtlsConfig.forServer().certifiedKey(SERVER_KEY).sessionCache(null).sessionTicketKeys(keys);
    }

    private static SessionTicketKeys keys() {
        return SessionTicketKeys.withDefaults(new SecureRandom());
    }

    @Test
    void aPskSessionDoesNotOutliveTheKeyItWasAuthenticatedWith() {
        // The key for an identity is replaced (it leaked). Whoever kept a ticket from a
        // handshake under the old key must not resume with it: a full handshake with that key
        // would fail now, so the abbreviated one must too.
        byte[] identity = "sensor-7".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] oldKey = new byte[32];
        byte[] newKey = new byte[32];
        java.util.Arrays.fill(oldKey, (byte) 1);
        java.util.Arrays.fill(newKey, (byte) 2);
        List<CipherSuite> psk = List.of(CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256);
        SessionTicketKeys keys = keys();
        DtlsConfig oldServer = DtlsConfig.forServer().cipherSuites(psk).sessionCache(null).sessionTicketKeys(keys)
                .pskStore(id -> java.util.Arrays.equals(id, identity) ? oldKey : null).build();
        DtlsConfig newServer = oldServer.toBuilder()
                .pskStore(id -> java.util.Arrays.equals(id, identity) ? newKey : null).build();
        DtlsConfig.Builder client = DtlsConfig.forClient().cipherSuites(psk).requestSessionTickets(true);
        SimulatedNetwork first = established(client.psk(identity, oldKey).build(), oldServer, 1, 0);
        ResumableSession saved = first.client().session().resumable();
        assertTrue(saved.ticket().length > 0);
        assertTrue(established(client.psk(identity, oldKey).resumeSession(saved).build(), oldServer, 2, 1_000)
                .server().session().resumed(), "the same key: resumed");

        SimulatedNetwork stale = run(client.psk(identity, oldKey).resumeSession(saved).build(), newServer, 3, 2_000);
        // The full handshake the server insists on cannot complete with the old key (its
        // Finished records fail to decrypt and are dropped, RFC 6347 4.1.2.7).
        assertNotEquals(DtlsEngine.Status.ESTABLISHED, stale.server().status(),
                "the old key no longer authenticates, not even by ticket");
        assertNotEquals(DtlsEngine.Status.ESTABLISHED, stale.client().status());
        // A client that has the new key does not offer the old session, and connects afresh.
        SimulatedNetwork renewed = established(client.psk(identity, newKey).resumeSession(saved).build(), newServer, 4, 3_000);
        assertFalse(renewed.server().session().resumed());
    }

    @Test
    void ticketIssuedWhileClientAuthWasOffDoesNotResumeWhereItIsRequired() {
        SessionTicketKeys keys = keys();
        SimulatedNetwork first = established(client().build(), server(keys).build(), 1, 0);
        assertTrue(first.server().session().peerCertificates().isEmpty(), "no client authentication the first time");
        ResumableSession saved = first.client().session().resumable();
        assertTrue(saved.ticket().length > 0);

        DtlsConfig requiring = server(keys).clientAuth(DtlsConfig.ClientAuth.NEED)
                .peerVerifier(PeerVerifier.pkix(List.of(CA.leaf()))).build();
        SimulatedNetwork second = established(client().resumeSession(saved).build(), requiring, 2, 1_000);
        assertFalse(second.server().session().resumed(), "a full handshake authenticates the client");
        assertEquals(CLIENT_KEY.leaf(), second.server().session().peerCertificates().get(0));

        // The session of that full handshake did authenticate the client: it resumes.
        SimulatedNetwork third = established(client().resumeSession(second.client().session().resumable()).build(),
                requiring, 3, 2_000);
        assertTrue(third.server().session().resumed());
        assertEquals(CLIENT_KEY.leaf(), third.server().session().peerCertificates().get(0));
    }

    @Test
    void cachedSessionWithoutClientAuthDoesNotResumeWhereItIsRequired() {
        DtlsConfig open = DtlsConfig.forServer().certifiedKey(SERVER_KEY).sessionTickets(false).build();
        SimulatedNetwork first = established(client().build(), open, 4, 0);
        ResumableSession saved = first.client().session().resumable();
        assertEquals(32, saved.sessionId().length);
        DtlsConfig requiring = open.toBuilder().clientAuth(DtlsConfig.ClientAuth.NEED)
                .peerVerifier(PeerVerifier.pkix(List.of(CA.leaf()))).build();
        SimulatedNetwork second = established(client().resumeSession(saved).build(), requiring, 5, 1_000);
        assertFalse(second.server().session().resumed());
        assertEquals(List.of(CLIENT_KEY.leaf(), CA.leaf()), second.server().session().peerCertificates(),
                "the full handshake received the client's chain");
    }

    @Test
    void clientCertificateTheVerifierNoLongerTrustsMeansAFullHandshake() {
        SessionTicketKeys keys = keys();
        DtlsConfig trusting = server(keys).clientAuth(DtlsConfig.ClientAuth.WANT)
                .peerVerifier(PeerVerifier.pkix(List.of(CA.leaf()))).build();
        ResumableSession saved = established(client().build(), trusting, 6, 0).client().session().resumable();
        CertifiedKey otherCa = TestCertificate.ca("another CA");
        DtlsConfig distrusting = trusting.toBuilder().peerVerifier(PeerVerifier.pkix(List.of(otherCa.leaf()))).build();
        SimulatedNetwork second = run(client().resumeSession(saved).build(), distrusting, 7, 1_000);
        // Not resumed: the full handshake ran, and refused the certificate as unknown_ca.
        assertEquals(AlertDescription.UNKNOWN_CA, second.server().failure().alert(), second.server().failure().getMessage());
    }

    @Test
    void expiredTicketDoesAFullHandshake() {
        SessionTicketKeys keys = new SessionTicketKeys(new SecureRandom(), SessionTicketKeys.DEFAULT_KEY_LIFETIME_MILLIS, 60_000);
        ResumableSession saved = established(client().build(), server(keys).build(), 8, 0).client().session().resumable();

        SimulatedNetwork withinLifetime = established(client().resumeSession(saved).build(), server(keys).build(), 9, 50_000);
        assertTrue(withinLifetime.server().session().resumed());
        // Resuming does not extend the session's life: its age counts from the full handshake.
        ResumableSession reissued = withinLifetime.client().session().resumable();

        SimulatedNetwork late = established(client().resumeSession(reissued).build(), server(keys).build(), 10, 61_000);
        assertFalse(late.server().session().resumed(), "a ticket past its lifetime is refused");
        assertFalse(late.client().session().resumed());
    }

    @Test
    void aDifferentServerNameMeansAFullHandshake() {
        SessionTicketKeys keys = keys();
        ResumableSession saved = established(client().build(), server(keys).build(), 11, 0).client().session().resumable();
        assertEquals("a.example", saved.state().serverName());
        // Same expected name, another server_name: RFC 6066 3 forbids resuming.
        SimulatedNetwork other = established(client().serverName("b.example").resumeSession(saved).build(),
                server(keys).build(), 12, 1_000);
        assertFalse(other.server().session().resumed());
        SimulatedNetwork same = established(client().resumeSession(saved).build(), server(keys).build(), 13, 2_000);
        assertTrue(same.server().session().resumed());
        assertEquals("a.example", same.server().session().serverName(), "carried over from the full handshake");
    }

    @Test
    void clientDoesNotOfferASessionItsCurrentChecksWouldRefuse() {
        SessionTicketKeys keys = keys();
        ResumableSession saved = established(client().build(), server(keys).build(), 14, 0).client().session().resumable();
        // Expecting another name: the saved server certificate does not carry it, so the
        // session is not offered and the full handshake refuses the server by name.
        SimulatedNetwork otherName = run(client().expectedServerName("b.example").serverName("a.example")
                .resumeSession(saved).build(), server(keys).build(), 15, 1_000);
        assertEquals(AlertDescription.BAD_CERTIFICATE, otherName.client().failure().alert());
        assertTrue(otherName.client().failure().getMessage().contains("'b.example'"), otherName.client().failure().getMessage());
        // Pinning another certificate: not offered either, and the full handshake refuses it.
        CertifiedKey other = TestCertificate.leaf("x").build();
        SimulatedNetwork otherPin = run(client().peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.sha256(other.leaf()))))
                .resumeSession(saved).build(), server(keys).build(), 16, 2_000);
        assertEquals(AlertDescription.BAD_CERTIFICATE, otherPin.client().failure().alert());
    }

    @Test
    void aSessionWhoseConnectionEndedWithAFatalAlertIsNotResumed() {
        SessionCache cache = SessionCache.withDefaults();
        DtlsConfig serverConfig = DtlsConfig.forServer().certifiedKey(SERVER_KEY).sessionTickets(false).sessionCache(cache).build();
        SimulatedNetwork first = established(client().build(), serverConfig, 17, 0);
        ResumableSession saved = first.client().session().resumable();
        assertNotNull(saved);
        assertEquals(1, cache.size());

        first.serverAbort(AlertDescription.ACCESS_DENIED, "application policy refused the client");
        first.runUntil(first.now() + 100);
        assertEquals(DtlsEngine.Status.FAILED, first.client().status());
        assertEquals("connection failed: received fatal alert access_denied", first.client().failure().getMessage());
        assertEquals(0, cache.size(), "the server forgot the session");
        assertNull(first.client().session().resumable(), "the client no longer offers it");
        assertTrue(first.client().session().invalidated());

        SimulatedNetwork second = established(client().resumeSession(saved).build(), serverConfig, 18, 1_000);
        assertFalse(second.server().session().resumed(), "a copy saved before the alert does not resume either");
    }

    @Test
    void sessionCacheEntriesCanBeRemoved() {
        SessionCache cache = SessionCache.withDefaults();
        DtlsConfig serverConfig = DtlsConfig.forServer().certifiedKey(SERVER_KEY).sessionTickets(false).sessionCache(cache).build();
        ResumableSession saved = established(client().build(), serverConfig, 19, 0).client().session().resumable();
        assertTrue(cache.remove(saved.sessionId()));
        assertFalse(cache.remove(saved.sessionId()));
        assertFalse(established(client().resumeSession(saved).build(), serverConfig, 20, 1_000).server().session().resumed());
        ResumableSession again = established(client().build(), serverConfig, 21, 2_000).client().session().resumable();
        cache.clear();
        assertEquals(0, cache.size());
        assertFalse(established(client().resumeSession(again).build(), serverConfig, 22, 3_000).server().session().resumed());
    }
}

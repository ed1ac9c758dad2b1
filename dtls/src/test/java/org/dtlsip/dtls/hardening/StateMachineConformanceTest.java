package org.dtlsip.dtls.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.crypto.Fingerprint;
import org.dtlsip.dtls.crypto.NamedGroup;
import org.dtlsip.dtls.crypto.PeerVerifier;
import org.dtlsip.dtls.crypto.SelfSigned;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * State-machine conformance in the plaintext part of the handshake (issue 8; threats T1, T2,
 * T5, T12, T13 in docs/SECURITY.md). For every client and server state reachable before the
 * keys change, every handshake message type arriving with the next message_seq but out of
 * order must end the handshake with a fatal unexpected_message alert, and never advance it.
 * The peer is a real engine of the other role whose flights are taken apart and replayed
 * selectively; injected messages carry a junk body, since the type alone must decide.
 */
class StateMachineConformanceTest {
    private static final CertifiedKey CLIENT_KEY = SelfSigned.ecdsa("conformance client", NamedGroup.SECP256R1);

    static DtlsConfig server(DtlsConfig.ClientAuth auth) {
        return TestKeys.server(TestKeys.ec()).cookieExchange(false).clientAuth(auth)
                .peerVerifier(PeerVerifier.fingerprints(List.of(Fingerprint.sha256(CLIENT_KEY.leaf())))).build();
    }

    static DtlsConfig client(boolean withCertificate) {
        DtlsConfig.Builder b = TestKeys.clientPinning(TestKeys.ec());
        return withCertificate ? b.certifiedKey(CLIENT_KEY).build() : b.build();
    }

    /** A client and a server engine after the ClientHello reached the server (cookies off). */
    record Started(DtlsEngine client, DtlsEngine server, List<HandshakeFragment> serverFlight) {
        static Started with(DtlsConfig serverConfig, DtlsConfig clientConfig) {
            DtlsEngine c = DtlsEngine.client(clientConfig, 0);
            DtlsEngine s = DtlsEngine.server(serverConfig, new CookieExchange.Accept(0, 0), 0);
            List<byte[]> flight2 = Drain.deliver(Drain.datagrams(c), s, 1);
            List<HandshakeFragment> fragments = Wire.plainFragments(flight2);
            fragments.forEach(f -> assertTrue(f.isComplete(), "unfragmented at PMTU 1400"));
            return new Started(c, s, fragments);
        }

        /** The client's flight 5 after it saw the whole server flight. */
        List<byte[]> clientFlight() {
            return Drain.deliver(serverFlight.stream()
                    .map(f -> Wire.plainMessage(f.msgType(), f.messageSeq(), f.fragment())).toList(), client, 2);
        }

        /** Gives the client the first {@code n} messages of the server's flight. */
        void deliverToClient(int n) {
            for (HandshakeFragment f : serverFlight.subList(0, n)) {
                client.receive(Wire.plainMessage(f.msgType(), f.messageSeq(), f.fragment()), 2);
            }
            Drain.datagrams(client);
            assertEquals(DtlsEngine.Status.HANDSHAKING, client.status(), () -> String.valueOf(client.failure()));
        }
    }

    /** Injects {@code type} at {@code seq} and checks the victim failed with unexpected_message. */
    static void assertUnexpected(DtlsEngine victim, HandshakeType type, int seq) {
        victim.receive(Wire.plainMessage(type.code, seq, new byte[] {0, 1, 2}), 5);
        List<byte[]> out = Drain.datagrams(victim);
        assertEquals(DtlsEngine.Status.FAILED, victim.status(), type + " must not be accepted");
        assertEquals(AlertDescription.UNEXPECTED_MESSAGE, victim.failure().alert(), victim.failure().getMessage());
        // In plaintext, or encrypted once our own keys changed (then its description is the failure's).
        assertTrue(out.stream().anyMatch(d -> Wire.holdsPlainAlert(d, 2, AlertDescription.UNEXPECTED_MESSAGE.code)
                || Wire.records(d).stream().anyMatch(r -> r.contentType() == 21 && r.epoch() > 0)),
                "a fatal unexpected_message alert goes out");
        assertNotEquals(DtlsEngine.Status.ESTABLISHED, victim.status());
    }

    // ------------------------------------------------------------------ server states

    @ParameterizedTest(name = "Server-WaitClientHello-Unexpected-{0}")
    @EnumSource(HandshakeType.class)
    void serverWaitingForClientHelloRefusesEveryOtherMessage(HandshakeType type) {
        assumeFalse(type == HandshakeType.CLIENT_HELLO);
        DtlsEngine server = DtlsEngine.server(server(DtlsConfig.ClientAuth.NONE), new CookieExchange.Accept(0, 0), 0);
        assertUnexpected(server, type, 0);
    }

    @ParameterizedTest(name = "Server-WaitClientKeyExchange-Unexpected-{0}")
    @EnumSource(HandshakeType.class)
    void serverWaitingForClientKeyExchangeRefusesEveryOtherMessage(HandshakeType type) {
        assumeFalse(type == HandshakeType.CLIENT_KEY_EXCHANGE);
        // Covers a second ClientHello mid-handshake (T5) and Finished before the key exchange (T2).
        Started s = Started.with(server(DtlsConfig.ClientAuth.NONE), client(false));
        assertUnexpected(s.server(), type, 1);
    }

    @ParameterizedTest(name = "Server-WaitClientCertificate-Unexpected-{0}")
    @EnumSource(HandshakeType.class)
    void serverRequiringACertificateRefusesEveryOtherMessage(HandshakeType type) {
        assumeFalse(type == HandshakeType.CERTIFICATE);
        Started s = Started.with(server(DtlsConfig.ClientAuth.NEED), client(true));
        assertUnexpected(s.server(), type, 1);
    }

    @ParameterizedTest(name = "Server-WaitCertificateVerify-Unexpected-{0}")
    @EnumSource(HandshakeType.class)
    void serverWaitingForCertificateVerifyRefusesEveryOtherMessage(HandshakeType type) {
        assumeFalse(type == HandshakeType.CERTIFICATE_VERIFY);
        Started s = Started.with(server(DtlsConfig.ClientAuth.NEED), client(true));
        int cvSeq = deliverCertificateAndKeyExchangeOnly(s);
        assertUnexpected(s.server(), type, cvSeq);
    }

    /** Delivers the client's Certificate and ClientKeyExchange, not its CertificateVerify; returns the CV's message_seq. */
    private static int deliverCertificateAndKeyExchangeOnly(Started s) {
        List<HandshakeFragment> flight5 = Wire.plainFragments(s.clientFlight());
        int cvSeq = -1;
        for (HandshakeFragment f : flight5) {
            if (f.msgType() == HandshakeType.CERTIFICATE_VERIFY.code) {
                cvSeq = f.messageSeq();
            } else {
                s.server().receive(Wire.plainMessage(f.msgType(), f.messageSeq(), f.fragment()), 3);
            }
        }
        assertTrue(cvSeq > 0, "the client sent a CertificateVerify");
        Drain.datagrams(s.server());
        assertEquals(DtlsEngine.Status.HANDSHAKING, s.server().status());
        return cvSeq;
    }

    @ParameterizedTest(name = "Server-SkippedCertificateVerify-NeverCompletes-{0}")
    @EnumSource(value = DtlsConfig.ClientAuth.class, names = {"WANT", "NEED"})
    @DisplayName("T1: Certificate without CertificateVerify, then ChangeCipherSpec and Finished")
    void clientCertificateWithoutCertificateVerifyNeverAuthenticates(DtlsConfig.ClientAuth auth) {
        // The JSSE client-authentication bypass (USENIX Security 2020): the attacker holds a
        // certificate but not its key, so it leaves out CertificateVerify and goes on.
        Started s = Started.with(server(auth), client(true));
        List<byte[]> withoutCv = new ArrayList<>();
        for (byte[] d : s.clientFlight()) {
            List<byte[]> kept = new ArrayList<>();
            for (org.dtlsip.dtls.record.Record r : Wire.records(d)) {
                boolean cv = r.epoch() == 0 && r.contentType() == 22
                        && (r.fragment()[0] & 0xff) == HandshakeType.CERTIFICATE_VERIFY.code;
                if (!cv) {
                    kept.add(Wire.encode(r));
                }
            }
            withoutCv.add(Wire.concat(kept.toArray(new byte[0][])));
        }
        Drain.deliver(withoutCv, s.server(), 3);
        assertEquals(DtlsEngine.Status.HANDSHAKING, s.server().status());
        assertTrue(s.server().drops().getOrDefault(DropReason.UNEXPECTED_CHANGE_CIPHER_SPEC, 0L) >= 1,
                "the ChangeCipherSpec is discarded while CertificateVerify is awaited");
        // The peer's retransmissions change nothing; the handshake dies at its deadline.
        for (long t = 1_000; t <= 60_000; t += 1_000) {
            Drain.deliver(withoutCv, s.server(), t);
            s.server().handleTimeout(t);
        }
        assertEquals(DtlsEngine.Status.FAILED, s.server().status());
        assertEquals(null, s.server().session(), "never authenticated");
    }

    @ParameterizedTest(name = "Server-NeedClientAuth-EmptyCertificate-{0}")
    @EnumSource(value = DtlsConfig.ClientAuth.class, names = {"NEED"})
    void emptyClientCertificateIsRefusedWhenRequired(DtlsConfig.ClientAuth auth) {
        Started s = Started.with(server(auth), client(false));
        Drain.deliver(s.clientFlight(), s.server(), 3);
        assertEquals(DtlsEngine.Status.FAILED, s.server().status());
        assertEquals(AlertDescription.HANDSHAKE_FAILURE, s.server().failure().alert());
    }

    // ------------------------------------------------------------------ client states

    /** Server flight 2 for ECDHE_ECDSA without client auth: ServerHello, Certificate, ServerKeyExchange, ServerHelloDone. */
    private static final List<HandshakeType> FLIGHT2 = List.of(HandshakeType.SERVER_HELLO, HandshakeType.CERTIFICATE,
            HandshakeType.SERVER_KEY_EXCHANGE, HandshakeType.SERVER_HELLO_DONE);

    private static void clientRefuses(int delivered, HandshakeType type, Set<HandshakeType> allowed) {
        clientRefuses(client(false), delivered, type, allowed);
    }

    private static void clientRefuses(DtlsConfig clientConfig, int delivered, HandshakeType type, Set<HandshakeType> allowed) {
        assumeFalse(allowed.contains(type));
        Started s = Started.with(server(DtlsConfig.ClientAuth.NONE), clientConfig);
        assertEquals(FLIGHT2, s.serverFlight().stream().map(f -> HandshakeType.of(f.msgType())).toList());
        s.deliverToClient(delivered);
        assertUnexpected(s.client(), type, delivered);
    }

    @ParameterizedTest(name = "Client-WaitServerHello-Unexpected-{0}")
    @EnumSource(HandshakeType.class)
    void clientWaitingForServerHelloRefusesEveryOtherMessage(HandshakeType type) {
        clientRefuses(0, type, EnumSet.of(HandshakeType.SERVER_HELLO, HandshakeType.HELLO_VERIFY_REQUEST));
    }

    @ParameterizedTest(name = "Client-WaitCertificate-Unexpected-{0}")
    @EnumSource(HandshakeType.class)
    void clientWaitingForCertificateRefusesEveryOtherMessage(HandshakeType type) {
        // Includes HelloVerifyRequest after ServerHello (T12).
        clientRefuses(1, type, EnumSet.of(HandshakeType.CERTIFICATE));
    }

    @ParameterizedTest(name = "Client-WaitServerKeyExchange-Unexpected-{0}")
    @EnumSource(HandshakeType.class)
    void clientWaitingForServerKeyExchangeRefusesEveryOtherMessage(HandshakeType type) {
        // Includes ServerHelloDone in place of ServerKeyExchange: a missing ServerKeyExchange.
        clientRefuses(2, type, EnumSet.of(HandshakeType.SERVER_KEY_EXCHANGE));
    }

    @ParameterizedTest(name = "Client-WaitServerHelloDone-Unexpected-{0}")
    @EnumSource(HandshakeType.class)
    void clientWaitingForServerHelloDoneRefusesEveryOtherMessage(HandshakeType type) {
        clientRefuses(3, type, EnumSet.of(HandshakeType.SERVER_HELLO_DONE, HandshakeType.CERTIFICATE_REQUEST));
    }

    @ParameterizedTest(name = "Client-WaitNewSessionTicket-Unexpected-{0}")
    @EnumSource(HandshakeType.class)
    void clientWaitingForTheTicketRefusesEveryOtherMessage(HandshakeType type) {
        // The client offered session_ticket and the server agreed (RFC 5077 3.3).
        clientRefuses(4, type, EnumSet.of(HandshakeType.NEW_SESSION_TICKET));
    }

    @ParameterizedTest(name = "Client-WaitChangeCipherSpec-Unexpected-{0}")
    @EnumSource(HandshakeType.class)
    void clientWaitingForChangeCipherSpecRefusesEveryPlaintextMessage(HandshakeType type) {
        // Includes a plaintext Finished before the server's ChangeCipherSpec (T2).
        DtlsConfig noTickets = TestKeys.clientPinning(TestKeys.ec()).sessionTickets(false).build();
        clientRefuses(noTickets, 4, type, EnumSet.noneOf(HandshakeType.class));
    }

    @ParameterizedTest(name = "Client-SecondCertificateRequest-{0}")
    @EnumSource(value = HandshakeType.class, names = "CERTIFICATE_REQUEST")
    void aSecondCertificateRequestIsRefused(HandshakeType type) {
        // T13 (tinydtls #78, wolfSSL #9198).
        Started s = Started.with(server(DtlsConfig.ClientAuth.NEED), client(true));
        assertEquals(HandshakeType.CERTIFICATE_REQUEST, HandshakeType.of(s.serverFlight().get(3).msgType()));
        s.deliverToClient(4);
        HandshakeFragment cr = s.serverFlight().get(3);
        s.client().receive(Wire.plainMessage(type.code, 4, cr.fragment()), 3);
        assertEquals(DtlsEngine.Status.FAILED, s.client().status());
        assertEquals(AlertDescription.UNEXPECTED_MESSAGE, s.client().failure().alert());
    }
}

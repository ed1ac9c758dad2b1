package org.dtlsip.dtls.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.handshake.message.ServerHello;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.sim.TestKeys;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * State-machine conformance in the plaintext part of the handshake (issue 8; threats T1, T2,
 * T5, T12, T13 in docs/SECURITY.md). For every client and server state reachable before the
 * keys change, every handshake message type arriving with the next message_seq but out of
 * order must end the handshake with a fatal unexpected_message alert, and never advance it;
 * the types a state accepts are excluded from its cases, and a HelloRequest, which a
 * negotiating client ignores (RFC 5246 7.4.1.1), has cases of its own. The peer is a real
 * engine of the other role whose flights are taken apart and replayed selectively; injected
 * messages carry a junk body, since the type alone must decide.
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
    @EnumSource(value = HandshakeType.class, mode = EnumSource.Mode.EXCLUDE, names = "CLIENT_HELLO")
    void serverWaitingForClientHelloRefusesEveryOtherMessage(HandshakeType type) {
        DtlsEngine server = DtlsEngine.server(server(DtlsConfig.ClientAuth.NONE), new CookieExchange.Accept(0, 0), 0);
        assertUnexpected(server, type, 0);
    }

    @ParameterizedTest(name = "Server-WaitClientKeyExchange-Unexpected-{0}")
    @EnumSource(value = HandshakeType.class, mode = EnumSource.Mode.EXCLUDE, names = "CLIENT_KEY_EXCHANGE")
    void serverWaitingForClientKeyExchangeRefusesEveryOtherMessage(HandshakeType type) {
        // Covers a second ClientHello mid-handshake (T5) and Finished before the key exchange (T2).
        Started s = Started.with(server(DtlsConfig.ClientAuth.NONE), client(false));
        assertUnexpected(s.server(), type, 1);
    }

    @ParameterizedTest(name = "Server-WaitClientCertificate-Unexpected-{0}")
    @EnumSource(value = HandshakeType.class, mode = EnumSource.Mode.EXCLUDE, names = "CERTIFICATE")
    void serverRequiringACertificateRefusesEveryOtherMessage(HandshakeType type) {
        Started s = Started.with(server(DtlsConfig.ClientAuth.NEED), client(true));
        assertUnexpected(s.server(), type, 1);
    }

    @ParameterizedTest(name = "Server-WaitCertificateVerify-Unexpected-{0}")
    @EnumSource(value = HandshakeType.class, mode = EnumSource.Mode.EXCLUDE, names = "CERTIFICATE_VERIFY")
    void serverWaitingForCertificateVerifyRefusesEveryOtherMessage(HandshakeType type) {
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

    /** The client after the first {@code delivered} messages of the server's flight 2. */
    private static Started clientAfter(DtlsConfig clientConfig, int delivered) {
        Started s = Started.with(server(DtlsConfig.ClientAuth.NONE), clientConfig);
        assertEquals(FLIGHT2, s.serverFlight().stream().map(f -> HandshakeType.of(f.msgType())).toList());
        s.deliverToClient(delivered);
        return s;
    }

    private static void clientRefuses(int delivered, HandshakeType type) {
        clientRefuses(client(false), delivered, type);
    }

    private static void clientRefuses(DtlsConfig clientConfig, int delivered, HandshakeType type) {
        assertUnexpected(clientAfter(clientConfig, delivered).client(), type, delivered);
    }

    // A negotiating client ignores HelloRequest (RFC 5246 7.4.1.1): see helloRequestWhileNegotiatingIsIgnored.

    @ParameterizedTest(name = "Client-WaitServerHello-Unexpected-{0}")
    @EnumSource(value = HandshakeType.class, mode = EnumSource.Mode.EXCLUDE,
            names = {"SERVER_HELLO", "HELLO_VERIFY_REQUEST", "HELLO_REQUEST"})
    void clientWaitingForServerHelloRefusesEveryOtherMessage(HandshakeType type) {
        clientRefuses(0, type);
    }

    @ParameterizedTest(name = "Client-WaitCertificate-Unexpected-{0}")
    @EnumSource(value = HandshakeType.class, mode = EnumSource.Mode.EXCLUDE, names = {"CERTIFICATE", "HELLO_REQUEST"})
    void clientWaitingForCertificateRefusesEveryOtherMessage(HandshakeType type) {
        // Includes HelloVerifyRequest after ServerHello (T12).
        clientRefuses(1, type);
    }

    @ParameterizedTest(name = "Client-WaitServerKeyExchange-Unexpected-{0}")
    @EnumSource(value = HandshakeType.class, mode = EnumSource.Mode.EXCLUDE, names = {"SERVER_KEY_EXCHANGE", "HELLO_REQUEST"})
    void clientWaitingForServerKeyExchangeRefusesEveryOtherMessage(HandshakeType type) {
        // Includes ServerHelloDone in place of ServerKeyExchange: a missing ServerKeyExchange.
        clientRefuses(2, type);
    }

    @ParameterizedTest(name = "Client-WaitServerHelloDone-Unexpected-{0}")
    @EnumSource(value = HandshakeType.class, mode = EnumSource.Mode.EXCLUDE,
            names = {"SERVER_HELLO_DONE", "CERTIFICATE_REQUEST", "HELLO_REQUEST"})
    void clientWaitingForServerHelloDoneRefusesEveryOtherMessage(HandshakeType type) {
        clientRefuses(3, type);
    }

    /** A client that asked for a ticket, after a ServerHello that promised one: WAIT_NEW_SESSION_TICKET once flight 2 is in. */
    private static Started clientWaitingForTheTicket() {
        DtlsConfig asksForTickets = TestKeys.clientPinning(TestKeys.ec()).requestSessionTickets(true).build();
        Started s = clientAfter(asksForTickets, 4);
        ServerHello hello = ServerHello.decode(s.serverFlight().get(0).fragment());
        assertTrue(Extensions.find(hello.extensions(), ExtensionType.SESSION_TICKET) != null,
                "the server promised a NewSessionTicket (RFC 5077 3.3)");
        // Waiting for the ticket, not for the ChangeCipherSpec: a ChangeCipherSpec now is early and discarded.
        s.client().receive(Wire.plain(ContentType.CHANGE_CIPHER_SPEC, new byte[] {1}), 4);
        assertEquals(1L, s.client().drops().get(DropReason.UNEXPECTED_CHANGE_CIPHER_SPEC));
        assertEquals(DtlsEngine.Status.HANDSHAKING, s.client().status());
        return s;
    }

    @ParameterizedTest(name = "Client-WaitNewSessionTicket-Unexpected-{0}")
    @EnumSource(value = HandshakeType.class, mode = EnumSource.Mode.EXCLUDE, names = {"NEW_SESSION_TICKET", "HELLO_REQUEST"})
    void clientWaitingForTheTicketRefusesEveryOtherMessage(HandshakeType type) {
        assertUnexpected(clientWaitingForTheTicket().client(), type, 4);
    }

    @ParameterizedTest(name = "Client-WaitChangeCipherSpec-Unexpected-{0}")
    @EnumSource(value = HandshakeType.class, mode = EnumSource.Mode.EXCLUDE, names = "HELLO_REQUEST")
    void clientWaitingForChangeCipherSpecRefusesEveryPlaintextMessage(HandshakeType type) {
        // Includes a plaintext Finished before the server's ChangeCipherSpec (T2).
        clientRefuses(client(false), 4, type);
    }

    @ParameterizedTest(name = "Client-HelloRequestIgnored-After-{0}-Messages")
    @ValueSource(ints = {0, 1, 2, 3, 4})
    @DisplayName("RFC 5246 7.4.1.1: a negotiating client ignores HelloRequest, and it takes no message_seq")
    void helloRequestWhileNegotiatingIsIgnored(int delivered) {
        Started s = Started.with(server(DtlsConfig.ClientAuth.NONE), client(false));
        List<byte[]> flight5 = new ArrayList<>();
        for (int i = 0; i <= FLIGHT2.size(); i++) {
            if (i == delivered) {
                s.client().receive(Wire.plainMessage(HandshakeType.HELLO_REQUEST.code, delivered, new byte[0]), 4);
                assertEquals(DtlsEngine.Status.HANDSHAKING, s.client().status(), () -> String.valueOf(s.client().failure()));
                assertEquals(1L, s.client().drops().get(DropReason.IGNORED_HANDSHAKE_MESSAGE));
                assertTrue(Drain.datagrams(s.client()).isEmpty(), "no alert, no flight: ignored");
            }
            if (i < FLIGHT2.size()) {
                // The server's real message with that message_seq is still taken.
                HandshakeFragment f = s.serverFlight().get(i);
                flight5.addAll(Drain.deliver(List.of(Wire.plainMessage(f.msgType(), f.messageSeq(), f.fragment())), s.client(), 5));
            }
        }
        List<byte[]> flight6 = Drain.deliver(flight5, s.server(), 5);
        Drain.deliver(flight6, s.client(), 6);
        assertEquals(DtlsEngine.Status.ESTABLISHED, s.client().status(), () -> String.valueOf(s.client().failure()));
    }

    @Test
    @DisplayName("RFC 5246 7.4.1.1: also while the client waits for the ticket")
    void helloRequestWhileWaitingForTheTicketIsIgnored() {
        Started s = clientWaitingForTheTicket();
        s.client().receive(Wire.plainMessage(HandshakeType.HELLO_REQUEST.code, 4, new byte[0]), 5);
        assertEquals(DtlsEngine.Status.HANDSHAKING, s.client().status());
        assertEquals(1L, s.client().drops().get(DropReason.IGNORED_HANDSHAKE_MESSAGE));
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

    @Test
    @DisplayName("T21 (CVE-2014-0221): a server that answers every ClientHello with a HelloVerifyRequest is given up on")
    void helloVerifyRequestLoopEndsTheHandshake() {
        DtlsEngine client = DtlsEngine.client(client(false), 0);
        Drain.datagrams(client);
        byte[] hvr = new org.dtlsip.dtls.handshake.message.HelloVerifyRequest(0xfeff, new byte[16]).encode();
        for (int seq = 0; seq < org.dtlsip.dtls.engine.CookieExchange.MAX_CLIENT_HELLO_MESSAGE_SEQ; seq++) {
            List<byte[]> hello = Drain.deliver(List.of(Wire.plainMessage(HandshakeType.HELLO_VERIFY_REQUEST.code, seq, hvr)),
                    client, 1 + seq);
            assertEquals(1, Wire.plainFragments(hello).size(), "ClientHello number " + (seq + 2));
            assertEquals(seq + 1, Wire.plainFragments(hello).get(0).messageSeq());
        }
        int last = org.dtlsip.dtls.engine.CookieExchange.MAX_CLIENT_HELLO_MESSAGE_SEQ;
        client.receive(Wire.plainMessage(HandshakeType.HELLO_VERIFY_REQUEST.code, last, hvr), 10);
        assertEquals(DtlsEngine.Status.FAILED, client.status());
        assertEquals(AlertDescription.UNEXPECTED_MESSAGE, client.failure().alert());
    }
}

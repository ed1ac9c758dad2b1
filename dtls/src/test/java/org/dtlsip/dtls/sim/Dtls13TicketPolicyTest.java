package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.crypto.CertifiedKey;
import org.dtlsip.dtls.engine.AlertDescription;
import org.dtlsip.dtls.engine.MessageTrace;
import org.dtlsip.dtls.engine.ResumableSession;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.junit.jupiter.api.Test;

/**
 * The server's rules for a DTLS 1.3 ticket offer beyond the binder (RFC 8446 4.2.9, 4.2.11,
 * 8.1): single-use tickets, psk_ke refused for forward secrecy, pre_shared_key only last; and a
 * client never offering a DTLS 1.2 session as a 1.3 PSK.
 */
class Dtls13TicketPolicyTest {
    private static final CertifiedKey KEY = TestKeys.ec();

    /** The handshake message types a server sent, first transmissions only. */
    private static final class SentTypes implements MessageTrace {
        final List<Integer> types = new ArrayList<>();

        @Override
        public void onMessage(MessageTrace.Event e) {
            if (e instanceof MessageTrace.HandshakeEvent h && h.direction() == MessageTrace.Direction.SENT
                    && h.fragmentOffset() == 0 && !h.retransmission()) {
                types.add(h.msgType());
            }
        }

        boolean sent(HandshakeType type) {
            return types.contains(type.code);
        }
    }

    private static SimulatedNetwork run(DtlsConfig client, DtlsConfig server, long start) {
        SimulatedNetwork net = new SimulatedNetwork(client, server, SimulatedNetwork.Conditions.perfect(), 1, start);
        assertTrue(net.runHandshake(start + 10_000), () -> "handshake did not complete: " + net.client().failure() + " / "
                + (net.server() == null ? "no server" : net.server().failure()));
        net.runUntil(net.now() + 100); // NewSessionTicket and its ACK
        return net;
    }

    private static ResumableSession firstTicket(DtlsConfig server) {
        ResumableSession saved = run(Dtls13HandshakeTest.client13(KEY).build(), server, 0).client().session().resumable();
        assertNotNull(saved, "the server issued a ticket");
        assertTrue(saved.isDtls13());
        return saved;
    }

    /** RFC 8446 8.1: a single-use ticket resumes once; offered again it gets a full handshake. */
    @Test
    void aSingleUseTicketOfferedAgainGetsAFullHandshake() {
        DtlsConfig server = Dtls13HandshakeTest.server13(KEY).singleUseTickets(true, null).build();
        ResumableSession saved = firstTicket(server);
        SimulatedNetwork once = run(Dtls13HandshakeTest.client13(KEY).resumeSession(saved).build(), server, 1_000);
        assertTrue(once.server().session().resumed());
        assertTrue(once.client().session().resumed());
        SimulatedNetwork twice = run(Dtls13HandshakeTest.client13(KEY).resumeSession(saved).build(), server, 2_000);
        assertFalse(twice.server().session().resumed());
        assertFalse(twice.client().session().resumed());
        assertEquals(1, server.usedTickets().size(), "only the accepted ticket is remembered");
        // The ticket the resumption issued is a new one, good for one resumption of its own.
        ResumableSession fresh = once.client().session().resumable();
        assertTrue(run(Dtls13HandshakeTest.client13(KEY).resumeSession(fresh).build(), server, 3_000).server().session()
                .resumed());
    }

    /**
     * RFC 8446 4.2.11.1, 8.3: the client's view of the ticket's age (obfuscated_ticket_age less
     * ticket_age_add) must agree with the server's within TICKET_AGE_TOLERANCE_MILLIS (10 s);
     * here the client's ticket_age_add is shifted, which shifts the age the server reads.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "age off by {0} ms")
    @org.junit.jupiter.params.provider.ValueSource(longs = {-20_000, -11_000, -5_000, 5_000, 11_000, 20_000})
    void aTicketAgeOutsideTheToleranceGetsAFullHandshake(long skewMillis) {
        DtlsConfig server = Dtls13HandshakeTest.server13(KEY).build();
        ResumableSession saved = firstTicket(server);
        org.dtlsip.dtls.engine.Tls13Ticket t = saved.tls13();
        long shiftedAgeAdd = (t.ageAdd() + skewMillis) & 0xffff_ffffL;
        ResumableSession skewed = ResumableSession.of(new org.dtlsip.dtls.engine.Tls13Ticket(t.ticket(), shiftedAgeAdd,
                t.lifetimeSeconds(), t.state()));
        // The server decodes the age with its own ticket_age_add: ours shifted by skew reads as age + skew.
        SimulatedNetwork net = run(Dtls13HandshakeTest.client13(KEY).resumeSession(skewed).build(), server, 1_000);
        boolean within = Math.abs(skewMillis) <= 10_000;
        assertEquals(within, net.server().session().resumed(), "age off by " + skewMillis + " ms");
    }

    /** By default tickets are not single-use: the same one resumes twice. */
    @Test
    void aTicketResumesTwiceByDefault() {
        DtlsConfig server = Dtls13HandshakeTest.server13(KEY).build();
        assertEquals(null, server.usedTickets());
        ResumableSession saved = firstTicket(server);
        assertTrue(run(Dtls13HandshakeTest.client13(KEY).resumeSession(saved).build(), server, 1_000).server().session()
                .resumed());
        assertTrue(run(Dtls13HandshakeTest.client13(KEY).resumeSession(saved).build(), server, 2_000).server().session()
                .resumed());
    }

    /** A forged binder does not use up a single-use ticket: the owner can still resume with it. */
    @Test
    void aForgedOfferDoesNotUseUpASingleUseTicket() {
        DtlsConfig server = Dtls13HandshakeTest.server13(KEY).singleUseTickets(true, null).build();
        ResumableSession saved = firstTicket(server);
        SimulatedNetwork forged = new SimulatedNetwork(Dtls13HandshakeTest.client13(KEY).resumeSession(saved).build(), server,
                SimulatedNetwork.Conditions.perfect(), 1, 1_000);
        byte[] hello = forged.sent().get(0).bytes(); // still in flight: the binder is its last byte
        hello[hello.length - 1] ^= 1;
        assertFalse(forged.runHandshake(11_000));
        assertEquals(AlertDescription.DECRYPT_ERROR, forged.server().failure().alert());
        assertEquals(0, server.usedTickets().size());
        assertTrue(run(Dtls13HandshakeTest.client13(KEY).resumeSession(saved).build(), server, 20_000).server().session()
                .resumed());
    }

    /**
     * RFC 8446 4.2.9: psk_ke alone is not taken (no forward secrecy): the server answers with a
     * full handshake, no pre_shared_key in its ServerHello. The mode byte is changed on the wire,
     * so the client's transcript differs and the handshake then fails at Finished; what matters
     * here is the server's choice.
     */
    @Test
    void aPskKeOnlyOfferGetsAFullHandshake() {
        SentTypes trace = new SentTypes();
        DtlsConfig server = Dtls13HandshakeTest.server13(KEY).cookieExchange(false).messageTrace(trace).build();
        ResumableSession saved = firstTicket(server);
        trace.types.clear();
        SimulatedNetwork net = new SimulatedNetwork(Dtls13HandshakeTest.client13(KEY).resumeSession(saved).build(), server,
                SimulatedNetwork.Conditions.perfect(), 1, 1_000);
        byte[] hello = net.sent().get(0).bytes(); // still in flight
        int at = indexOf(hello, new byte[] {0x00, 0x2d, 0x00, 0x02, 0x01, 0x01});
        assertTrue(at > 0, "our ClientHello offers psk_dhe_ke");
        hello[at + 5] = 0x00; // psk_ke
        List<byte[]> fromServer = new ArrayList<>();
        net.filter(d -> {
            if (!d.toServer()) {
                fromServer.add(d.bytes().clone());
            }
            return true;
        });
        net.runHandshake(11_000);
        assertTrue(trace.sent(HandshakeType.CERTIFICATE), "full handshake: " + trace.types);
        assertEquals(-1, indexOf(fromServer.get(0), new byte[] {0x00, 0x29, 0x00, 0x02}), "no pre_shared_key selected");
    }

    /** RFC 8446 4.2.11: pre_shared_key anywhere but last is illegal_parameter. */
    @Test
    void preSharedKeyNotLastIsIllegalParameter() {
        DtlsConfig server = Dtls13HandshakeTest.server13(KEY).cookieExchange(false).build();
        ResumableSession saved = firstTicket(server);
        SimulatedNetwork net = new SimulatedNetwork(Dtls13HandshakeTest.client13(KEY).resumeSession(saved).build(), server,
                SimulatedNetwork.Conditions.perfect(), 1, 1_000);
        byte[] hello = net.sent().get(0).bytes();
        assertEquals(0x29, extensionTypes(hello).get(extensionTypes(hello).size() - 1), "pre_shared_key last as sent");
        moveLastExtensionFirst(hello);
        assertEquals(0x29, extensionTypes(hello).get(0));
        assertFalse(net.runHandshake(11_000));
        assertEquals(AlertDescription.ILLEGAL_PARAMETER, net.server().failure().alert());
    }

    /** A DTLS 1.2 session offered by a 1.3+1.2 client goes into the 1.2 fields only, never into pre_shared_key. */
    @Test
    void aDtls12SessionIsNotOfferedAsADtls13Psk() {
        DtlsConfig server12 = TestKeys.server(KEY).sessionCache(null).build();
        SimulatedNetwork first = run(TestKeys.clientPinning(KEY).requestSessionTickets(true).build(), server12, 0);
        ResumableSession saved12 = first.client().session().resumable();
        assertFalse(saved12.isDtls13());
        SimulatedNetwork second = new SimulatedNetwork(Dtls13HandshakeTest.client13(KEY).resumeSession(saved12).build(),
                Dtls13HandshakeTest.server13(KEY).build(), SimulatedNetwork.Conditions.perfect(), 1, 1_000);
        List<Integer> types = extensionTypes(second.sent().get(0).bytes());
        assertTrue(types.contains(0x2b) && !types.contains(0x29) && !types.contains(0x2d),
                "supported_versions but neither pre_shared_key nor psk_key_exchange_modes: " + types);
        assertTrue(second.runHandshake(11_000));
        assertEquals("DTLSv1.3", second.client().session().protocol(), "a full 1.3 handshake");
        assertFalse(second.client().session().resumed());
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The extension types of an unfragmented ClientHello alone in one DTLSPlaintext record, in order. */
    private static List<Integer> extensionTypes(byte[] d) {
        int q = extensionsStart(d);
        int end = q + ((d[q - 2] & 0xff) << 8 | (d[q - 1] & 0xff));
        List<Integer> types = new ArrayList<>();
        while (q < end) {
            types.add((d[q] & 0xff) << 8 | (d[q + 1] & 0xff));
            q += 4 + ((d[q + 2] & 0xff) << 8 | (d[q + 3] & 0xff));
        }
        return types;
    }

    private static int extensionsStart(byte[] d) {
        int p = 13 + 12 + 2 + 32;
        p += 1 + (d[p] & 0xff); // session id
        p += 1 + (d[p] & 0xff); // cookie
        p += 2 + ((d[p] & 0xff) << 8 | (d[p + 1] & 0xff)); // suites
        p += 1 + (d[p] & 0xff); // compression
        return p + 2;
    }

    /** Rewrites, in place, such a ClientHello so that its last extension comes first; lengths are unchanged. */
    private static void moveLastExtensionFirst(byte[] d) {
        int extStart = extensionsStart(d);
        int extEnd = extStart + ((d[extStart - 2] & 0xff) << 8 | (d[extStart - 1] & 0xff));
        int q = extStart;
        int last = -1;
        while (q < extEnd) {
            last = q;
            q += 4 + ((d[q + 2] & 0xff) << 8 | (d[q + 3] & 0xff));
        }
        byte[] lastExt = java.util.Arrays.copyOfRange(d, last, extEnd);
        byte[] before = java.util.Arrays.copyOfRange(d, extStart, last);
        System.arraycopy(lastExt, 0, d, extStart, lastExt.length);
        System.arraycopy(before, 0, d, extStart + lastExt.length, before.length);
    }
}

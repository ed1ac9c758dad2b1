package org.dtlsip.dtls.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.record.ReturnRoutabilityCheck;
import org.dtlsip.dtls.record.ReturnRoutabilityCheck.MessageType;
import org.dtlsip.dtls.sim.SimulatedNetwork;
import org.dtlsip.dtls.sim.TestKeys;
import org.dtlsip.dtls.util.ByteWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a server engine does with return_routability_check messages a peer sends, including
 * those our own engines never send (path_drop, unknown and malformed messages): the client
 * engine protects whatever body the test gives it ({@link DtlsEngine#rrcRecord(byte[])}).
 */
class ReturnRoutabilityCheckMessagesTest {
    /** Remembers the longs it hands out: the path_challenge cookies. */
    private static final class RecordingRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        final List<Long> longs = new ArrayList<>();

        @Override
        public long nextLong() {
            long v = super.nextLong();
            longs.add(v);
            return v;
        }
    }

    /** Time after the handshake for what is in flight (ticket, ACK): under the 1 s retransmission timer. */
    private static final long SETTLING_MILLIS = 100;

    private final RecordingRandom serverRandom = new RecordingRandom();
    private DtlsEngine client;
    private DtlsEngine server;
    private long now;

    private void connect(boolean clientOffersRrc) {
        connect(clientOffersRrc, false);
    }

    /** The version both engines speak; {@link Dtls13ReturnRoutabilityCheckMessagesTest} runs every case in DTLS 1.3. */
    int protocol() {
        return ProtocolVersion.DTLS_1_2;
    }

    /**
     * Why a return_routability_check in a plaintext record is dropped: DTLS 1.2 reads the record
     * and finds epoch 0 unprotected; DTLS 1.3 never reads it at all, since only alerts,
     * handshakes and ACKs travel in DTLSPlaintext (RFC 9147 4.1).
     */
    DropReason plaintextRrcDropReason() {
        return DropReason.UNEXPECTED_EPOCH;
    }

    private void connect(boolean clientOffersRrc, boolean enhanced) {
        DtlsConfig clientConfig = TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4)
                .returnRoutabilityCheck(clientOffersRrc).protocols(protocol()).build();
        DtlsConfig serverConfig = TestKeys.server(TestKeys.ec()).connectionIdLength(4).random(serverRandom)
                .enhancedPathValidation(enhanced).protocols(protocol()).build();
        SimulatedNetwork net = new SimulatedNetwork(clientConfig, serverConfig, SimulatedNetwork.Conditions.perfect(), 7);
        assertTrue(net.runHandshake(60_000));
        client = net.client();
        server = net.server();
        assertEquals(protocol() == ProtocolVersion.DTLS_1_3 ? "DTLSv1.3" : "DTLSv1.2", server.session().protocol());
        assertEquals(clientOffersRrc, server.session().returnRoutabilityCheck());
        assertEquals(clientOffersRrc, client.session().returnRoutabilityCheck());
        // What is still in flight (in DTLS 1.3 the server's NewSessionTicket, resent until ACKed)
        // is delivered and answered, so that no timer but the path check's is left running.
        net.runUntil(net.now() + SETTLING_MILLIS);
        now = net.now() + 1;
        while (server.pollDatagram() != null) {
            // drained
        }
    }

    @BeforeEach
    void negotiated() {
        connect(true);
    }

    private long drops(DropReason reason) {
        return server.drops().getOrDefault(reason, 0L);
    }

    private void fromClient(byte[] body, Object path) {
        byte[] record = client.rrcRecord(body);
        server.receive(record, 0, record.length, path, now);
    }

    /** The server starts checking path B after a record from B; returns the cookie it sent. */
    private long serverChallengesB() throws DtlsException {
        client.send(new byte[32]);
        byte[] d = client.pollDatagram();
        assertTrue(server.receive(d, 0, d.length, "B", now).movesPeerAddress());
        assertEquals(DtlsEngine.PathCheck.SENT, server.challengePath("B", now));
        DtlsEngine.PathDatagram challenge = server.pollPathDatagram();
        assertEquals("B", challenge.path());
        assertNull(server.pollDatagram(), "nothing for the current address");
        return serverRandom.longs.get(serverRandom.longs.size() - 1);
    }

    private static byte[] body(MessageType type, long cookie) {
        return new ReturnRoutabilityCheck(type, cookie).encode();
    }

    @Test
    void RRC_PathResponseWithTheCookie_ValidatesThePath() throws Exception {
        long cookie = serverChallengesB();
        fromClient(body(MessageType.PATH_RESPONSE, cookie), "B");
        EngineEvent e = server.pollEvent();
        assertEquals(EngineEvent.Kind.PATH_VALIDATED, e.kind());
        assertEquals("B", e.path());
        assertEquals(DtlsEngine.PathCheck.VALIDATED, server.challengePath("B", now),
                "the caller asking again after the validating datagram starts nothing new");
        assertNull(server.pollPathDatagram());
    }

    @Test
    void RRC_PathDrop_EndsTheCheckWithoutAMove() throws Exception {
        long cookie = serverChallengesB();
        fromClient(body(MessageType.PATH_DROP, cookie), "B");
        EngineEvent e = server.pollEvent();
        assertEquals(EngineEvent.Kind.PATH_VALIDATION_FAILED, e.kind(), "RFC 9853 5.2: the peer does not want that path");
        assertEquals("B", e.path());
        assertNull(server.pathBeingValidated());
        assertEquals(Long.MAX_VALUE, server.nextDeadline(), "no more challenges");
        server.handleTimeout(now + 60_000);
        assertNull(server.pollPathDatagram());
        assertEquals(new DtlsEngine.PathValidationCounts(1, 0, 0, 1), server.pathValidationCounts());
    }

    @Test
    void RRC_AnswersWithAnotherCookie_AreDiscardedAndTheCheckGoesOn() throws Exception {
        long cookie = serverChallengesB();
        fromClient(body(MessageType.PATH_RESPONSE, cookie + 1), "B");
        fromClient(body(MessageType.PATH_DROP, ~cookie), "B");
        assertEquals(2, drops(DropReason.UNMATCHED_PATH_RESPONSE), "RFC 9853 5.4: silently discarded, and counted");
        assertNull(server.pollEvent());
        assertEquals("B", server.pathBeingValidated());
        fromClient(body(MessageType.PATH_RESPONSE, cookie), "B");
        assertEquals(EngineEvent.Kind.PATH_VALIDATED, server.pollEvent().kind());
        fromClient(body(MessageType.PATH_RESPONSE, cookie), "B");
        assertEquals(3, drops(DropReason.UNMATCHED_PATH_RESPONSE), "a second answer to a settled check");
        assertNull(server.pollEvent());
    }

    @Test
    void RRC_UnsolicitedPathResponse_IsDiscardedAndCounted() {
        fromClient(body(MessageType.PATH_RESPONSE, 12345), "A");
        fromClient(body(MessageType.PATH_DROP, 12345), null);
        assertEquals(2, drops(DropReason.UNMATCHED_PATH_RESPONSE));
        assertNull(server.pollEvent());
        assertEquals(DtlsEngine.Status.ESTABLISHED, server.status());
    }

    @Test
    void RRC_PathChallenge_AnsweredAtOnceExactlyOnceTowardsItsPath() {
        byte[] record = client.rrcRecord(body(MessageType.PATH_CHALLENGE, 99));
        server.receive(record, 0, record.length, "Z", now);
        DtlsEngine.PathDatagram response = server.pollPathDatagram();
        assertNotNull(response, "RFC 9853 5.4: not delayed");
        assertEquals("Z", response.path(), "RFC 9853 5.4: to the address the challenge came from");
        assertNull(server.pollDatagram());
        server.receive(record, 0, record.length, "Z", now);
        assertNull(server.pollPathDatagram(), "a replayed challenge is not answered again");
        assertEquals(1, drops(DropReason.REPLAY));

        // Without a path token (a caller that knows only the peer's address) it goes there.
        byte[] second = client.rrcRecord(body(MessageType.PATH_CHALLENGE, 100));
        server.receive(second, now);
        assertNotNull(server.pollDatagram());
        assertEquals(2, server.pathValidationCounts().responsesSent());
    }

    @Test
    void RRC_UnknownMessageTypes_AreIgnored() {
        fromClient(new byte[] {3, 0, 0, 0, 0, 0, 0, 0, 0}, "A");
        fromClient(new byte[] {(byte) 254}, "A");
        fromClient(new byte[] {(byte) 255, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, "A");
        assertEquals(3, drops(DropReason.UNKNOWN_RRC_MESSAGE_TYPE), "RFC 9853 4: parsed and gracefully ignored");
        assertNull(server.pollPathDatagram());
        assertNull(server.pollDatagram());
        assertNull(server.pollEvent());
        assertEquals(DtlsEngine.Status.ESTABLISHED, server.status());
    }

    @Test
    void RRC_MalformedMessagesOfKnownTypes_AreDiscarded() {
        fromClient(new byte[0], "A");
        fromClient(new byte[] {0}, "A");
        fromClient(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, "A");
        fromClient(new byte[] {1, 1, 2, 3}, "A");
        assertEquals(4, drops(DropReason.MALFORMED_RRC_MESSAGE));
        assertNull(server.pollPathDatagram());
        assertNull(server.pollDatagram());
        assertEquals(DtlsEngine.Status.ESTABLISHED, server.status());
    }

    @Test
    void RRC_NotNegotiated_MessagesAreDropped() {
        connect(false);
        assertTrue(server.session().connectionIdNegotiated());
        fromClient(body(MessageType.PATH_CHALLENGE, 1), "A");
        assertEquals(1, drops(DropReason.RRC_NOT_NEGOTIATED), "RFC 9853 3: not used unless both sent rrc");
        assertNull(server.pollPathDatagram());
        assertNull(server.pollDatagram());
        assertEquals(DtlsEngine.PathCheck.UNAVAILABLE, server.challengePath("B", now));
    }

    @Test
    void RRC_PlaintextMessage_IsDropped() {
        // RFC 9853 4: "MUST be authenticated and encrypted using the currently active security context".
        ByteWriter w = new ByteWriter();
        RecordCodec.encode(w, ContentType.RETURN_ROUTABILITY_CHECK.code, ProtocolVersion.DTLS_1_2, 0, 1_000_000,
                body(MessageType.PATH_CHALLENGE, 5));
        byte[] plain = w.toByteArray();
        server.receive(plain, 0, plain.length, "X", now);
        assertEquals(1, drops(plaintextRrcDropReason()), () -> "drops: " + server.drops());
        assertNull(server.pollPathDatagram());
        assertNull(server.pollDatagram());
    }

    @Test
    void RRC_NoChallengeAfterClose() throws Exception {
        serverChallengesB();
        server.close();
        while (server.pollDatagram() != null) {
            // the close_notify
        }
        assertNull(server.pathBeingValidated());
        server.handleTimeout(now + 60_000);
        assertNull(server.pollPathDatagram());
        assertEquals(DtlsEngine.PathCheck.UNAVAILABLE, server.challengePath("C", now));
    }

    @Test
    void RRC_Enhanced_PathDropOnTheOldPath_ChecksTheCandidate() throws Exception {
        connect(true, true);
        client.send(new byte[32]);
        byte[] d = client.pollDatagram();
        server.receive(d, 0, d.length, "B", now);
        assertEquals(DtlsEngine.PathCheck.SENT, server.challengePath("B", now));
        assertNotNull(server.pollDatagram(), "RFC 9853 5.2 step 2: the challenge goes to the current address");
        assertNull(server.pollPathDatagram(), "not yet to the candidate");
        long oldPathCookie = serverRandom.longs.get(serverRandom.longs.size() - 1);

        fromClient(body(MessageType.PATH_DROP, oldPathCookie), null);
        assertNull(server.pollEvent(), "path_drop on the old path is no verdict yet");
        DtlsEngine.PathDatagram challenge = server.pollPathDatagram();
        assertEquals("B", challenge.path(), "RFC 9853 5.2 step 4: a basic check of the new address");
        long candidateCookie = serverRandom.longs.get(serverRandom.longs.size() - 1);

        fromClient(body(MessageType.PATH_RESPONSE, oldPathCookie), "B");
        assertEquals(1, drops(DropReason.UNMATCHED_PATH_RESPONSE), "the old path's cookie settles nothing now");
        fromClient(body(MessageType.PATH_RESPONSE, candidateCookie), "B");
        EngineEvent e = server.pollEvent();
        assertEquals(EngineEvent.Kind.PATH_VALIDATED, e.kind());
        assertEquals("B", e.path());
    }
}

package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.DtlsEngine;
import org.dtlsip.dtls.engine.DtlsEngine.PathCheck;
import org.dtlsip.dtls.engine.EngineEvent;
import org.dtlsip.dtls.handshake.HandshakeFragment;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.handshake.extension.Extension;
import org.dtlsip.dtls.handshake.extension.ExtensionType;
import org.dtlsip.dtls.handshake.extension.Extensions;
import org.dtlsip.dtls.handshake.message.ClientHello;
import org.dtlsip.dtls.handshake.message.ServerHello;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.Record;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.util.ByteReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The return routability check (RFC 9853) between our own engines, on a network with
 * addresses and rebinding NATs ({@link PathNetwork}): negotiation, a NAT rebinding that moves
 * the association only after path_response, and an attacker who races a copy of a genuine
 * record from a spoofed source.
 */
class ReturnRoutabilityCheckTest {
    private static final byte[] PING = "ping".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PONG = "pong".getBytes(StandardCharsets.UTF_8);
    private static final int SERVER_CID = 4;
    /** RFC 9853 5.5 with no RTT learned: T = 1 s, the default initial retransmission timer. */
    private static final long T = DtlsConfig.DEFAULT_INITIAL_RETRANSMIT_MILLIS;

    private static DtlsConfig client() {
        return TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4).build();
    }

    private static DtlsConfig server() {
        return TestKeys.server(TestKeys.ec()).connectionIdLength(SERVER_CID).build();
    }

    // ------------------------------------------------------------------ negotiation (RFC 9853 3)

    /** The extensions of the first handshake message of {@code type} on the wire, or null when none was sent. */
    private static List<Extension> helloExtensions(SimulatedNetwork net, HandshakeType type) {
        for (SimulatedNetwork.Datagram d : net.sent()) {
            for (Record r : RecordCodec.parse(d.bytes(), 0, d.bytes().length).records()) {
                if (r.epoch() != 0 || r.contentType() != ContentType.HANDSHAKE.code) {
                    continue;
                }
                ByteReader reader = new ByteReader(r.fragment());
                while (reader.hasRemaining()) {
                    HandshakeFragment f = HandshakeFragment.decode(reader);
                    if (f.msgType() == type.code) {
                        return type == HandshakeType.CLIENT_HELLO ? ClientHello.decode(f.fragment()).extensions()
                                : ServerHello.decode(f.fragment()).extensions();
                    }
                }
            }
        }
        return null;
    }

    private static SimulatedNetwork handshake(DtlsConfig client, DtlsConfig server) {
        SimulatedNetwork net = new SimulatedNetwork(client, server, SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(net.runHandshake(60_000));
        return net;
    }

    @Test
    void RRC_OfferedWithConnectionIdAndAnsweredByDefault() {
        SimulatedNetwork net = handshake(client(), server());
        Extension offered = Extensions.find(helloExtensions(net, HandshakeType.CLIENT_HELLO), ExtensionType.RRC);
        Extension answered = Extensions.find(helloExtensions(net, HandshakeType.SERVER_HELLO), ExtensionType.RRC);
        assertArrayEquals(new byte[0], offered.data(), "RFC 9853 3: extension 61, empty extension_data");
        assertArrayEquals(new byte[0], answered.data());
        assertTrue(net.client().session().returnRoutabilityCheck());
        assertTrue(net.server().session().returnRoutabilityCheck());
        assertTrue(net.client().validatesPaths());
        assertTrue(net.server().validatesPaths());
    }

    @Test
    void RRC_NotOfferedWithoutConnectionIds() {
        SimulatedNetwork net = handshake(TestKeys.clientPinning(TestKeys.ec()).build(), server());
        assertNull(Extensions.find(helloExtensions(net, HandshakeType.CLIENT_HELLO), ExtensionType.RRC),
                "RFC 9853 3: a client offering rrc MUST also offer connection_id");
        assertFalse(net.server().session().returnRoutabilityCheck());
        assertFalse(net.server().validatesPaths());
        assertEquals(PathCheck.UNAVAILABLE, net.server().challengePath("B", net.now()));
    }

    @Test
    void RRC_ServerWithoutConnectionIds_DoesNotAnswerRrc() {
        SimulatedNetwork net = handshake(client(), TestKeys.server(TestKeys.ec()).build());
        assertTrue(Extensions.find(helloExtensions(net, HandshakeType.CLIENT_HELLO), ExtensionType.RRC) != null);
        assertNull(Extensions.find(helloExtensions(net, HandshakeType.SERVER_HELLO), ExtensionType.RRC));
        assertFalse(net.client().session().returnRoutabilityCheck());
        assertFalse(net.client().validatesPaths());
    }

    @Test
    void RRC_TurnedOffOnEitherSide_IsNotUsed() {
        DtlsConfig clientOff = TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4).returnRoutabilityCheck(false).build();
        SimulatedNetwork net = handshake(clientOff, server());
        assertNull(Extensions.find(helloExtensions(net, HandshakeType.CLIENT_HELLO), ExtensionType.RRC));
        assertTrue(net.server().session().connectionIdNegotiated());
        assertFalse(net.server().session().returnRoutabilityCheck());

        DtlsConfig serverOff = TestKeys.server(TestKeys.ec()).connectionIdLength(4).returnRoutabilityCheck(false).build();
        net = handshake(client(), serverOff);
        assertNull(Extensions.find(helloExtensions(net, HandshakeType.SERVER_HELLO), ExtensionType.RRC),
                "the server answers rrc only when configured to");
        assertFalse(net.client().session().returnRoutabilityCheck());
        assertFalse(net.server().session().returnRoutabilityCheck());
    }

    // ------------------------------------------------------------------ NAT rebinding (RFC 9853 5.1)

    /** Client ID length 0 means an empty ID: the server's records to it, challenges included, are plain RFC 6347 records. */
    @ParameterizedTest(name = "RRC-NatRebinding-ClientCid{0}-MovesOnlyAfterPathResponse")
    @ValueSource(ints = {4, 0})
    void RRC_NatRebinding_MovesOnlyAfterPathResponse(int clientCid) throws Exception {
        DtlsConfig client = clientCid == 0 ? TestKeys.clientPinning(TestKeys.ec()).emptyConnectionId().build()
                : TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(clientCid).build();
        PathNetwork net = new PathNetwork(SERVER_CID).delay(10);
        PathNetwork.Client c = net.connect(client, server(), "A");
        PathNetwork.Association a = net.association(c);
        c.send(PING);
        net.run(100);
        assertEquals(1, a.received.size());

        c.rebind("B");
        c.send(PING);
        net.run(15); // the ping has arrived from B; the challenge is on its way to B
        assertEquals(2, a.received.size(), "data from the new address is read at once");
        assertEquals(List.of(PathCheck.SENT), a.checks);
        assertEquals("A", a.peer, "RFC 9853 5.1: no move before path_response");
        assertEquals("B", a.engine.pathBeingValidated());
        assertSame(a, net.atAddress("A"));
        assertNull(net.atAddress("B"));

        a.send(PONG); // until validated, data goes to the old address
        net.run(1);
        net.run(100);
        assertEquals(1, net.stranger("A").size(), "the pong went to the old address, which nobody holds now");
        assertEquals("B", a.peer, "path_response arrived: moved");
        assertSame(a, net.atAddress("B"));
        assertEquals(List.of(EngineEvent.Kind.PATH_VALIDATED), a.events.stream().map(EngineEvent::kind).toList());
        assertEquals("B", a.events.get(0).path());
        assertEquals(new DtlsEngine.PathValidationCounts(1, 0, 1, 0), a.engine.pathValidationCounts());
        assertEquals(new DtlsEngine.PathValidationCounts(0, 1, 0, 0), c.engine.pathValidationCounts());
        assertNull(a.engine.pathBeingValidated());
        assertEquals(Long.MAX_VALUE, a.engine.nextDeadline(), "nothing left to retransmit");

        a.send(PONG);
        net.run(100);
        assertArrayEquals(PONG, c.received.get(c.received.size() - 1));
        assertEquals(1, c.received.size());
    }

    @Test
    void RRC_NestedRebinding_WaitsForTheFirstCheckThenValidates() throws Exception {
        PathNetwork net = new PathNetwork(SERVER_CID).delay(10);
        PathNetwork.Client c = net.connect(client(), server(), "A");
        PathNetwork.Association a = net.association(c);
        c.rebind("B");
        c.send(PING);
        net.run(12);
        c.rebind("C"); // before the challenge to B arrives (RFC 9853 5: nested rebinding)
        c.send(PING);
        net.run(15);
        assertEquals(List.of(PathCheck.SENT, PathCheck.BUSY), a.checks, "one check at a time");
        assertEquals("A", a.peer);
        net.run(10 * T);
        assertEquals("A", a.peer, "the challenge to B found nobody; C was never checked");
        assertEquals(List.of(EngineEvent.Kind.PATH_VALIDATION_FAILED), a.events.stream().map(EngineEvent::kind).toList());
        assertEquals("B", a.events.get(0).path());

        c.send(PING); // "A new path validation will start when new data is received."
        net.run(100);
        assertEquals("C", a.peer);
        assertEquals(EngineEvent.Kind.PATH_VALIDATED, a.events.get(1).kind());
        a.send(PONG);
        net.run(100);
        assertArrayEquals(PONG, c.received.get(0));
    }

    @Test
    void RRC_LateSecondResponse_IsDiscardedAndCounted() throws Exception {
        // Each way takes 600 ms, so the answer to the first challenge comes after T and a second
        // challenge (fresh cookie) is sent; both are answered, the first validates the path.
        PathNetwork net = new PathNetwork(SERVER_CID).delay(600);
        PathNetwork.Client c = net.connect(client(), server(), "A");
        PathNetwork.Association a = net.association(c);
        c.rebind("B");
        c.send(PING);
        net.run(10 * T);
        assertEquals("B", a.peer);
        assertEquals(2, a.engine.pathValidationCounts().challengesSent());
        assertEquals(2, c.engine.pathValidationCounts().responsesSent(), "RFC 9853 5.4: one response per challenge");
        assertEquals(1, a.engine.pathValidationCounts().validated());
        assertEquals(1L, a.engine.drops().get(DropReason.UNMATCHED_PATH_RESPONSE), "RFC 9853 5.4, 7.1");
        assertEquals(1, a.events.size());
    }

    @Test
    void RRC_ChallengesAreRepeatedOnTheTimerAndTheCheckFails() throws Exception {
        // The client's new address receives nothing (a one-way path): no path_response ever comes.
        PathNetwork net = new PathNetwork(SERVER_CID).delay(10).drop(d -> d.to().equals("B"));
        PathNetwork.Client c = net.connect(client(), server(), "A");
        PathNetwork.Association a = net.association(c);
        c.rebind("B");
        byte[] big = new byte[400]; // enough credit for every challenge
        c.send(big);
        long start = net.now() + 10;
        net.run(20);
        assertEquals(start + T, a.engine.nextDeadline(), "RFC 9853 5.5: T = 1 s without an RTT sample");
        net.run(T + 1);
        assertEquals(2, a.engine.pathValidationCounts().challengesSent());
        assertEquals(start + 3 * T, a.engine.nextDeadline(), "then the retransmission timer doubles");
        net.run(20 * T);
        assertEquals(new DtlsEngine.PathValidationCounts(3, 0, 0, 1), a.engine.pathValidationCounts());
        assertEquals("A", a.peer);
        assertEquals(EngineEvent.Kind.PATH_VALIDATION_FAILED, a.events.get(0).kind());
        assertEquals(Long.MAX_VALUE, a.engine.nextDeadline());
        assertEquals(DtlsEngine.Status.ESTABLISHED, a.engine.status(), "a failed check costs nothing else");
    }

    // ------------------------------------------------------------------ attacks (RFC 9853 8)

    /**
     * RFC 9853 8.1.1/8.1.2: an attacker sees a genuine record and races a copy from a spoofed
     * source. It authenticates and is the newest, so without RRC the association would follow it.
     */
    @Test
    void RRC_SpoofedCopyRacedFromAnotherAddress_NoResponseNoMove() throws Exception {
        PathNetwork net = new PathNetwork(SERVER_CID).delay(10);
        PathNetwork.Client c = net.connect(client(), server(), "A");
        PathNetwork.Association a = net.association(c);
        c.engine.send(PING);
        byte[] genuine = c.engine.pollDatagram();
        net.inject(genuine, "X", PathNetwork.SERVER); // the attacker's copy wins the race
        net.inject(genuine, "A", PathNetwork.SERVER);
        net.run(20 * T);

        assertEquals(1, a.received.size(), "read once; the genuine copy is a replay");
        assertEquals(1L, a.engine.drops().get(DropReason.REPLAY));
        assertEquals(List.of(PathCheck.SENT), a.checks);
        assertEquals("A", a.peer, "no path_response from X: no move");
        assertSame(a, net.atAddress("A"));
        assertNull(net.atAddress("X"));
        assertEquals(EngineEvent.Kind.PATH_VALIDATION_FAILED, a.events.get(0).kind());

        // RFC 9853 2, 5: what went to X is bounded by three times what came from X.
        List<byte[]> toVictim = net.stranger("X");
        int sentToVictim = toVictim.stream().mapToInt(b -> b.length).sum();
        assertTrue(toVictim.size() >= 1 && toVictim.size() <= 3, "challenges to X: " + toVictim.size());
        assertTrue(sentToVictim <= 3 * genuine.length, sentToVictim + " bytes to X for " + genuine.length + " from it");
        assertEquals(toVictim.size(), a.engine.pathValidationCounts().challengesSent());

        a.send(PONG);
        net.run(100);
        assertArrayEquals(PONG, c.received.get(0), "the association goes on at A");
    }

    @Test
    void RRC_AntiAmplificationLimit_CapsChallengesToASmallSender() throws Exception {
        PathNetwork net = new PathNetwork(SERVER_CID).delay(10);
        PathNetwork.Client c = net.connect(client(), server(), "A");
        PathNetwork.Association a = net.association(c);
        c.engine.send(new byte[1]);
        byte[] small = c.engine.pollDatagram();
        net.inject(small, "X", PathNetwork.SERVER);
        net.run(20 * T);
        int challenge = net.stranger("X").get(0).length;
        int expected = 3 * small.length / challenge; // as many whole challenges as 3x fits
        assertTrue(expected < 3, "this case must be limited by bytes, not by the count: " + expected);
        assertEquals(expected, net.stranger("X").size());
        assertEquals(expected, a.engine.pathValidationCounts().challengesSent());
        assertEquals(1, a.engine.pathValidationCounts().failed());
    }

    /**
     * The spoofed source is another association's peer: under RFC 9146 6 alone the server
     * would move the first association there and evict the second. With RRC the challenge goes
     * to that peer, which cannot read a record under someone else's connection ID and answers
     * nothing; both associations stay as they were.
     */
    @Test
    void RRC_SpoofedCopyFromAnotherPeersAddress_EvictsNothing() throws Exception {
        PathNetwork net = new PathNetwork(SERVER_CID).delay(10);
        PathNetwork.Client alice = net.connect(client(), server(), "A");
        PathNetwork.Client bob = net.connect(client(), server(), "B");
        PathNetwork.Association forAlice = net.association(alice);
        PathNetwork.Association forBob = net.association(bob);
        alice.engine.send(PING);
        byte[] genuine = alice.engine.pollDatagram();
        net.inject(genuine, "B", PathNetwork.SERVER);
        net.inject(genuine, "A", PathNetwork.SERVER);
        net.run(20 * T);

        assertEquals("A", forAlice.peer);
        assertEquals("B", forBob.peer);
        assertFalse(forBob.evicted);
        assertSame(forBob, net.atAddress("B"));
        assertSame(forAlice, net.atAddress("A"));
        assertEquals(EngineEvent.Kind.PATH_VALIDATION_FAILED, forAlice.events.get(0).kind());
        assertTrue(bob.engine.drops().getOrDefault(DropReason.UNKNOWN_CONNECTION_ID, 0L) >= 1,
                "bob got the challenges and could not read them: " + bob.engine.drops());
        assertEquals(0, bob.engine.pathValidationCounts().responsesSent());

        forBob.send(PONG);
        forAlice.send(PING);
        net.run(100);
        assertArrayEquals(PONG, bob.received.get(0));
        assertArrayEquals(PING, alice.received.get(0));
    }

    // ------------------------------------------------------------------ the responder (RFC 9853 5.4)

    @Test
    void RRC_ClientChecksTheServer_ResponseGoesWhereTheChallengeCameFrom() throws Exception {
        PathNetwork net = new PathNetwork(SERVER_CID).delay(10);
        PathNetwork.Client c = net.connect(client(), server(), "A");
        PathNetwork.Association a = net.association(c);
        a.send(PONG); // RFC 9853 1: either side may check a path, e.g. after quiescence
        net.run(100);
        assertEquals(PathCheck.SENT, c.challenge(PathNetwork.SERVER));
        assertEquals(PathCheck.PENDING, c.challenge(PathNetwork.SERVER));
        assertEquals(PathCheck.BUSY, c.challenge("elsewhere"));
        net.run(100);
        assertEquals(EngineEvent.Kind.PATH_VALIDATED, c.events.get(c.events.size() - 1).kind());
        assertEquals(PathNetwork.SERVER, c.events.get(c.events.size() - 1).path());
        assertEquals(1, a.engine.pathValidationCounts().responsesSent());
        List<PathNetwork.Datagram> fromServer = net.delivered().stream()
                .filter(d -> d.from().equals(PathNetwork.SERVER)).toList();
        assertEquals("A", fromServer.get(fromServer.size() - 1).to(), "RFC 9853 5.4: to the challenge's source");
    }

    // ------------------------------------------------------------------ the enhanced check (RFC 9853 5.2)

    private static DtlsConfig enhancedServer() {
        return TestKeys.server(TestKeys.ec()).connectionIdLength(SERVER_CID).enhancedPathValidation(true).build();
    }

    @Test
    void RRC_Enhanced_NatRebinding_MovesOnceTheOldPathStaysSilent() throws Exception {
        PathNetwork net = new PathNetwork(SERVER_CID).delay(10);
        PathNetwork.Client c = net.connect(client(), enhancedServer(), "A");
        PathNetwork.Association a = net.association(c);
        c.rebind("B");
        c.send(PING);
        net.run(15);
        assertEquals("A", a.peer);
        assertEquals("B", a.engine.pathBeingValidated());
        net.run(T - 50);
        assertEquals(1, net.stranger("A").size(), "RFC 9853 5.2 step 2: the first challenge goes to the old path");
        assertTrue(net.stranger("B").isEmpty());
        assertEquals("A", a.peer, "no move while the old path may still answer");
        net.run(100);
        assertEquals("B", a.peer, "T passed without an answer: the basic check of B succeeded (5.2 step 5)");
        assertEquals(new DtlsEngine.PathValidationCounts(2, 0, 1, 0), a.engine.pathValidationCounts());
    }

    /**
     * RFC 9853 8.1.2: an off-path attacker at X races a copy of a genuine record and relays
     * whatever reaches X to the peer. The basic check cannot tell this from a NAT rebinding:
     * the peer answers the challenge the attacker forwarded, and the association moves to X,
     * putting the attacker on path. This is why the enhanced check exists.
     */
    @Test
    void RRC_Basic_RelayingOffPathAttacker_GetsOnPath() throws Exception {
        PathNetwork net = new PathNetwork(SERVER_CID).delay(10).relay("X", "A");
        PathNetwork.Client c = net.connect(client(), server(), "A");
        PathNetwork.Association a = net.association(c);
        c.engine.send(PING);
        byte[] genuine = c.engine.pollDatagram();
        net.inject(genuine, "X", PathNetwork.SERVER);
        net.inject(genuine, "A", PathNetwork.SERVER);
        net.run(10 * T);
        assertEquals("X", a.peer, "the documented limit of the basic check");
    }

    @Test
    void RRC_Enhanced_RelayingOffPathAttacker_PeerStays() throws Exception {
        PathNetwork net = new PathNetwork(SERVER_CID).delay(10).relay("X", "A");
        PathNetwork.Client c = net.connect(client(), enhancedServer(), "A");
        PathNetwork.Association a = net.association(c);
        c.engine.send(PING);
        byte[] genuine = c.engine.pollDatagram();
        net.inject(genuine, "X", PathNetwork.SERVER);
        net.inject(genuine, "A", PathNetwork.SERVER);
        net.run(10 * T);
        assertEquals("A", a.peer, "RFC 9853 5.2 step 4: a path_response on the old path keeps the peer there");
        assertEquals(EngineEvent.Kind.PATH_VALIDATION_FAILED, a.events.get(0).kind());
        assertEquals("X", a.events.get(0).path());
        assertEquals(new DtlsEngine.PathValidationCounts(1, 0, 0, 1), a.engine.pathValidationCounts());
        assertTrue(net.delivered().stream().noneMatch(d -> d.to().equals("X")), "X was never challenged");
        a.send(PONG);
        net.run(100);
        assertArrayEquals(PONG, c.received.get(0));
    }

    // ------------------------------------------------------------------ randomized

    /**
     * Seeded random runs of NAT rebindings, copies of genuine records raced from strangers'
     * addresses, data both ways and 10% loss: the association only ever moves to an address
     * the client really held, and what went to each stranger stays within three times what
     * came from it (RFC 9853 2).
     */
    @Test
    void RRC_RandomRebindingsAndSpoofedCopies_OnlyEverMoveToTheClient() throws Exception {
        long validated = 0;
        long failed = 0;
        for (int seed = 0; seed < 12; seed++) {
            java.util.Random random = new java.util.Random(seed);
            PathNetwork net = new PathNetwork(SERVER_CID).delay(5 + random.nextInt(60))
                    .drop(d -> random.nextDouble() < 0.1);
            PathNetwork.Client c = net.connect(client(), server(), "A0");
            PathNetwork.Association a = net.association(c);
            java.util.Set<String> held = new java.util.HashSet<>(java.util.Set.of("A0"));
            java.util.Map<String, Integer> fromStrangers = new java.util.HashMap<>();
            for (int step = 1; step <= 40; step++) {
                switch (random.nextInt(4)) {
                    case 0 -> {
                        c.rebind("A" + step);
                        held.add(c.address);
                    }
                    case 1 -> c.send(PING);
                    case 2 -> {
                        c.engine.send(PING);
                        byte[] genuine = c.engine.pollDatagram();
                        String stranger = "X" + random.nextInt(3);
                        net.inject(genuine, stranger, PathNetwork.SERVER);
                        net.inject(genuine, c.address, PathNetwork.SERVER);
                        fromStrangers.merge(stranger, genuine.length, Integer::sum);
                    }
                    default -> a.send(PONG);
                }
                net.run(random.nextInt(3 * (int) T));
            }
            net.run(20 * T);
            int s = seed;
            assertTrue(held.contains(a.peer), () -> "seed " + s + ": moved to " + a.peer);
            for (EngineEvent e : a.events) {
                if (e.kind() == EngineEvent.Kind.PATH_VALIDATED) {
                    assertTrue(held.contains((String) e.path()), () -> "seed " + s + ": validated " + e.path());
                }
            }
            for (var entry : fromStrangers.entrySet()) {
                int sent = net.stranger(entry.getKey()).stream().mapToInt(b -> b.length).sum();
                assertTrue(sent <= 3 * entry.getValue(), () -> "seed " + s + ": " + sent + " bytes to " + entry.getKey()
                        + " for " + entry.getValue() + " from it");
            }
            assertEquals(DtlsEngine.Status.ESTABLISHED, a.engine.status());
            assertEquals(DtlsEngine.Status.ESTABLISHED, c.engine.status());
            validated += a.engine.pathValidationCounts().validated();
            failed += a.engine.pathValidationCounts().failed();
        }
        // Not vacuous: the runs moved the association and refused spoofed sources.
        assertTrue(validated >= 12, "validated " + validated);
        assertTrue(failed >= 12, "failed " + failed);
    }
}

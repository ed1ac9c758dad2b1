package org.dtlsip.dtls.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.dtlsip.dtls.config.DtlsConfig;
import org.dtlsip.dtls.engine.CookieExchange;
import org.dtlsip.dtls.engine.MessageTrace;
import org.dtlsip.dtls.engine.MessageTrace.AlertEvent;
import org.dtlsip.dtls.engine.MessageTrace.Direction;
import org.dtlsip.dtls.engine.MessageTrace.Event;
import org.dtlsip.dtls.engine.MessageTrace.HandshakeEvent;
import org.dtlsip.dtls.engine.MessageTrace.RecordEvent;
import org.dtlsip.dtls.engine.MessageTrace.RetransmissionEvent;
import org.dtlsip.dtls.engine.MessageTraceFormat;
import org.dtlsip.dtls.handshake.HandshakeType;
import org.dtlsip.dtls.record.ContentType;
import org.dtlsip.dtls.record.DropReason;
import org.dtlsip.dtls.record.ProtocolVersion;
import org.dtlsip.dtls.record.RecordCodec;
import org.dtlsip.dtls.util.ByteWriter;
import org.junit.jupiter.api.Test;

/**
 * The message trace (issue 16, {@code -msg}) on the simulated network: every record and
 * handshake message both ways, in order, with epochs and sequence numbers; retransmitted
 * flights marked, with why; alerts by name; dropped records with the reason.
 */
class MessageTraceTest {
    private final List<Event> clientTrace = new ArrayList<>();
    private final List<Event> serverTrace = new ArrayList<>();

    private DtlsConfig client() {
        return TestKeys.clientPinning(TestKeys.ec()).handshakeTimeoutMillis(60_000).messageTrace(clientTrace::add).build();
    }

    private DtlsConfig server() {
        return TestKeys.server(TestKeys.ec()).messageTrace(serverTrace::add).build();
    }

    /** Handshake messages as "SENT ClientHello 0/e0": direction, name, message_seq, epoch, "R" if marked retransmitted. */
    private static List<String> messages(List<Event> trace) {
        List<String> out = new ArrayList<>();
        for (Event e : trace) {
            if (e instanceof HandshakeEvent h) {
                out.add(h.direction() + " " + HandshakeType.of(h.msgType()) + " " + h.messageSeq() + "/e" + h.epoch()
                        + (h.retransmission() ? " R" : ""));
            }
        }
        return out;
    }

    private static List<RecordEvent> records(List<Event> trace, Direction direction) {
        List<RecordEvent> out = new ArrayList<>();
        for (Event e : trace) {
            if (e instanceof RecordEvent r && r.direction() == direction) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void aFullHandshakeIsTracedMessageByMessageOnBothSides() {
        SimulatedNetwork net = new SimulatedNetwork(client(), server(), SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(net.runHandshake(60_000));

        assertEquals(List.of(
                "SENT CLIENT_HELLO 0/e0",
                "RECEIVED HELLO_VERIFY_REQUEST 0/e0",
                "SENT CLIENT_HELLO 1/e0",
                "RECEIVED SERVER_HELLO 1/e0",
                "RECEIVED CERTIFICATE 2/e0",
                "RECEIVED SERVER_KEY_EXCHANGE 3/e0",
                "RECEIVED SERVER_HELLO_DONE 4/e0",
                "SENT CLIENT_KEY_EXCHANGE 2/e0",
                "SENT FINISHED 3/e1",
                "RECEIVED FINISHED 5/e1"), messages(clientTrace));
        // The server's front door (cookie exchange) reports the first ClientHello and its answer.
        assertEquals(List.of(
                "RECEIVED CLIENT_HELLO 0/e0",
                "SENT HELLO_VERIFY_REQUEST 0/e0",
                "RECEIVED CLIENT_HELLO 1/e0",
                "SENT SERVER_HELLO 1/e0",
                "SENT CERTIFICATE 2/e0",
                "SENT SERVER_KEY_EXCHANGE 3/e0",
                "SENT SERVER_HELLO_DONE 4/e0",
                "RECEIVED CLIENT_KEY_EXCHANGE 2/e0",
                "RECEIVED FINISHED 3/e1",
                "SENT FINISHED 5/e1"), messages(serverTrace));

        // Every record is reported, each with the next sequence number of its epoch; the
        // ChangeCipherSpec is the last of epoch 0 and the Finished the first of epoch 1.
        List<RecordEvent> sent = records(clientTrace, Direction.SENT);
        assertEquals(List.of(0L, 1L, 2L, 3L, 0L), sent.stream().map(RecordEvent::sequenceNumber).toList());
        assertEquals(List.of(0L, 0L, 0L, 0L, 1L), sent.stream().map(RecordEvent::epoch).toList());
        assertEquals(List.of(ContentType.HANDSHAKE.code, ContentType.HANDSHAKE.code, ContentType.HANDSHAKE.code,
                ContentType.CHANGE_CIPHER_SPEC.code, ContentType.HANDSHAKE.code),
                sent.stream().map(RecordEvent::contentType).toList());
        int sentBytes = sent.stream().mapToInt(RecordEvent::length).sum();
        int datagramBytes = net.sent().stream().filter(SimulatedNetwork.Datagram::toServer).mapToInt(d -> d.bytes().length).sum();
        assertEquals(datagramBytes, sentBytes, "record sizes include their headers and add up to the datagrams");
        assertTrue(sent.stream().noneMatch(RecordEvent::retransmission));
        List<RecordEvent> received = records(clientTrace, Direction.RECEIVED);
        assertTrue(received.stream().allMatch(r -> r.dropped() == null), received.toString());
        RecordEvent lastReceived = received.get(received.size() - 1);
        assertEquals(1, lastReceived.epoch());
        assertEquals(ContentType.HANDSHAKE.code, lastReceived.contentType());
        assertTrue(clientTrace.stream().noneMatch(e -> e instanceof RetransmissionEvent));
    }

    @Test
    void aRecordLineComesBeforeTheMessagesItCarries() {
        SimulatedNetwork net = new SimulatedNetwork(client(), server(), SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(net.runHandshake(60_000));
        List<String> lines = clientTrace.stream().map(MessageTraceFormat::line).toList();
        assertEquals(">>> record epoch 0 seq 0: handshake, " + ((RecordEvent) clientTrace.get(0)).length() + " bytes",
                lines.get(0));
        assertTrue(lines.get(1).startsWith(">>>   ClientHello message_seq 0, fragment 0+"), lines.get(1));
        assertTrue(lines.get(1).endsWith(" (epoch 0)"), lines.get(1));
        int ccs = lines.indexOf(lines.stream().filter(l -> l.startsWith(">>> record epoch 0 seq 3: change_cipher_spec")).findFirst()
                .orElseThrow());
        assertTrue(lines.get(ccs + 1).startsWith(">>> record epoch 1 seq 0: handshake, "), lines.get(ccs + 1));
        assertTrue(lines.get(ccs + 1).endsWith(", encrypted"), lines.get(ccs + 1));
        assertTrue(lines.get(ccs + 2).matches(">>>   Finished message_seq 3, fragment 0\\+12 of 12 \\(epoch 1\\)"), lines.get(ccs + 2));
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("<<<   Finished message_seq 5, fragment 0\\+12 of 12 \\(epoch 1\\)"), last);
        assertTrue(lines.get(lines.size() - 2).matches("<<< record epoch 1 seq 0: handshake, \\d+ bytes, decrypted"),
                lines.get(lines.size() - 2));
    }

    @Test
    void aLostFlightIsRetransmittedMarkedAndTheRepeatIsMarkedOnTheOtherSide() {
        // The server's ChangeCipherSpec+Finished datagram is lost once: the client's timer
        // resends its last flight, and the server, seeing that repeat, resends its own.
        AtomicInteger serverFinalFlights = new AtomicInteger();
        SimulatedNetwork net = new SimulatedNetwork(client(), server(), SimulatedNetwork.Conditions.perfect(), 3)
                .filter(d -> !(!d.toServer() && RetransmissionTest.containsType(d.bytes(), 20)
                        && serverFinalFlights.getAndIncrement() == 0));
        assertTrue(net.runHandshake(60_000));

        assertEquals(List.of(
                "SENT CLIENT_HELLO 0/e0",
                "RECEIVED HELLO_VERIFY_REQUEST 0/e0",
                "SENT CLIENT_HELLO 1/e0",
                "RECEIVED SERVER_HELLO 1/e0",
                "RECEIVED CERTIFICATE 2/e0",
                "RECEIVED SERVER_KEY_EXCHANGE 3/e0",
                "RECEIVED SERVER_HELLO_DONE 4/e0",
                "SENT CLIENT_KEY_EXCHANGE 2/e0",
                "SENT FINISHED 3/e1",
                "SENT CLIENT_KEY_EXCHANGE 2/e0 R",
                "SENT FINISHED 3/e1 R",
                "RECEIVED FINISHED 5/e1"), messages(clientTrace));
        RetransmissionEvent timer = only(clientTrace, RetransmissionEvent.class);
        assertEquals(new RetransmissionEvent(RetransmissionEvent.Cause.TIMER, DtlsConfig.DEFAULT_INITIAL_RETRANSMIT_MILLIS, 1),
                timer);
        // The retransmitted records follow the event, in the same epochs with fresh numbers (RFC 6347 4.2.4).
        List<Event> afterTimer = clientTrace.subList(clientTrace.indexOf(timer) + 1, clientTrace.size());
        List<RecordEvent> resent = records(afterTimer, Direction.SENT);
        assertEquals(3, resent.size(), resent.toString());
        assertTrue(resent.stream().allMatch(RecordEvent::retransmission), resent.toString());
        assertEquals(List.of(4L, 5L, 1L), resent.stream().map(RecordEvent::sequenceNumber).toList());

        // The server received the client's flight twice: the second copy is marked as a repeat,
        // and it answered with its own flight again, saying why.
        assertTrue(messages(serverTrace).containsAll(List.of("RECEIVED CLIENT_KEY_EXCHANGE 2/e0 R", "RECEIVED FINISHED 3/e1 R",
                "SENT FINISHED 5/e1 R")), messages(serverTrace).toString());
        RetransmissionEvent repeat = only(serverTrace, RetransmissionEvent.class);
        assertEquals(RetransmissionEvent.Cause.PEER_REPEAT, repeat.cause());
        assertEquals(1, repeat.count());

        List<String> lines = clientTrace.stream().map(MessageTraceFormat::line).toList();
        assertTrue(lines.contains(">>> === retransmission 1: no answer within 1000 ms, sending the flight again"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches(">>>   Finished message_seq 3, .* \\(epoch 1\\), retransmission")),
                lines.toString());
        assertTrue(serverTrace.stream().map(MessageTraceFormat::line).anyMatch(l -> l.equals(
                ">>> === retransmission 1: the peer repeated its last flight, so ours was lost, sending the flight again")));
    }

    @Test
    void applicationDataAndCloseNotifyAreTracedDecryptedWithTheAlertsName() throws Exception {
        SimulatedNetwork net = new SimulatedNetwork(client(), server(), SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(net.runHandshake(60_000));
        clientTrace.clear();
        serverTrace.clear();
        net.clientSend("hello".getBytes(StandardCharsets.UTF_8));
        net.runUntil(net.now() + 10);
        net.clientClose();
        net.runUntil(net.now() + 10);

        RecordEvent data = records(serverTrace, Direction.RECEIVED).get(0);
        assertEquals(new RecordEvent(Direction.RECEIVED, 1, 1, ContentType.APPLICATION_DATA.code,
                net.sent().get(net.sent().size() - 3).bytes().length, false, null), data);
        assertEquals(List.of(
                new AlertEvent(Direction.SENT, 1, 1, 0)), alerts(clientTrace, Direction.SENT));
        assertEquals(List.of(new AlertEvent(Direction.RECEIVED, 1, 1, 0)), alerts(serverTrace, Direction.RECEIVED));
        assertEquals(List.of(new AlertEvent(Direction.SENT, 1, 1, 0)), alerts(serverTrace, Direction.SENT),
                "close_notify is answered with close_notify");
        List<String> serverLines = serverTrace.stream().map(MessageTraceFormat::line).toList();
        assertTrue(serverLines.contains("<<< record epoch 1 seq 2: alert, " + records(serverTrace, Direction.RECEIVED).get(1).length()
                + " bytes, decrypted"), serverLines.toString());
        assertTrue(serverLines.contains("<<<   Alert warning close_notify (epoch 1)"), serverLines.toString());
    }

    @Test
    void aReplayedRecordIsTracedAsDroppedWithTheReason() throws Exception {
        SimulatedNetwork net = new SimulatedNetwork(client(), server(), SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(net.runHandshake(60_000));
        net.clientSend("once".getBytes(StandardCharsets.UTF_8));
        net.runUntil(net.now() + 10);
        byte[] data = net.sent().get(net.sent().size() - 1).bytes();
        serverTrace.clear();
        net.inject(data, true);

        assertEquals(1, net.serverReceived().size(), "delivered once");
        RecordEvent replay = records(serverTrace, Direction.RECEIVED).get(0);
        assertEquals(DropReason.REPLAY, replay.dropped());
        assertEquals(1, replay.epoch());
        assertEquals(ContentType.APPLICATION_DATA.code, replay.contentType());
        assertEquals("<<< record epoch 1 seq 1: application_data, " + data.length + " bytes, dropped: replay",
                MessageTraceFormat.line(replay));
    }

    @Test
    void connectionIdRecordsAreReportedWithTheTypeInsideTheirProtection() throws Exception {
        // RFC 9146 4: a tls12_cid record's real content type is inside the encryption.
        DtlsConfig c = TestKeys.clientPinning(TestKeys.ec()).connectionIdLength(4).messageTrace(clientTrace::add).build();
        DtlsConfig s = TestKeys.server(TestKeys.ec()).connectionIdLength(4).messageTrace(serverTrace::add).build();
        SimulatedNetwork net = new SimulatedNetwork(c, s, SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(net.runHandshake(60_000));
        net.clientSend("hello".getBytes(StandardCharsets.UTF_8));
        net.runUntil(net.now() + 10);

        List<RecordEvent> protectedRecords = records(serverTrace, Direction.RECEIVED).stream().filter(r -> r.epoch() == 1).toList();
        assertEquals(List.of(ContentType.HANDSHAKE.code, ContentType.APPLICATION_DATA.code),
                protectedRecords.stream().map(RecordEvent::contentType).toList());
        assertTrue(protectedRecords.stream().allMatch(r -> r.dropped() == null));
        List<RecordEvent> sent = records(clientTrace, Direction.SENT).stream().filter(r -> r.epoch() == 1).toList();
        assertEquals(protectedRecords.stream().map(RecordEvent::length).toList(), sent.stream().map(RecordEvent::length).toList(),
                "the same records, the connection ID included in their size");
    }

    @Test
    void theServersFrontDoorReportsWhatItDropsAndNothingForWhatItAccepts() {
        CookieExchange door = new CookieExchange(server());
        ByteWriter stray = new ByteWriter(32);
        RecordCodec.encode(stray, ContentType.APPLICATION_DATA.code, ProtocolVersion.DTLS_1_2, 0, 7, new byte[10]);
        byte[] bytes = stray.toByteArray();
        CookieExchange.Verdict verdict = door.check(bytes, 0, bytes.length, new byte[] {127, 0, 0, 1, 0, 1}, 0);

        assertEquals(new CookieExchange.Drop(DropReason.NOT_A_CLIENT_HELLO), verdict);
        assertEquals(List.of(new RecordEvent(Direction.RECEIVED, 0, 7, ContentType.APPLICATION_DATA.code, bytes.length, false,
                DropReason.NOT_A_CLIENT_HELLO)), serverTrace);

        serverTrace.clear();
        CookieExchange open = new CookieExchange(TestKeys.server(TestKeys.ec()).cookieExchange(false)
                .messageTrace(serverTrace::add).build());
        byte[] hello = org.dtlsip.dtls.engine.DtlsEngine.client(client(), 0).pollDatagram();
        assertTrue(open.check(hello, 0, hello.length, new byte[] {127, 0, 0, 1, 0, 1}, 0) instanceof CookieExchange.Accept);
        assertTrue(serverTrace.isEmpty(), "the association it creates reports the ClientHello: " + serverTrace);
    }

    @Test
    void aTraceThatThrowsChangesNothing() {
        AtomicInteger calls = new AtomicInteger();
        MessageTrace broken = e -> {
            calls.incrementAndGet();
            throw new IllegalStateException("a broken trace");
        };
        DtlsConfig c = TestKeys.clientPinning(TestKeys.ec()).messageTrace(broken).build();
        DtlsConfig s = TestKeys.server(TestKeys.ec()).messageTrace(broken).build();
        SimulatedNetwork net = new SimulatedNetwork(c, s, SimulatedNetwork.Conditions.perfect(), 1);
        assertTrue(net.runHandshake(60_000), () -> String.valueOf(net.client().failure()));
        assertTrue(calls.get() > 20, "called for every record and message: " + calls.get());
    }

    @Test
    void theTraceIsPartOfTheConfigurationAndUnsetByDefault() {
        MessageTrace trace = clientTrace::add;
        DtlsConfig traced = TestKeys.clientPinning(TestKeys.ec()).messageTrace(trace).build();
        assertSame(trace, traced.toBuilder().build().messageTrace(), "toBuilder keeps it");
        assertNull(traced.toBuilder().messageTrace(null).build().messageTrace());
        assertNull(TestKeys.server(TestKeys.ec()).build().messageTrace());
    }

    private static List<AlertEvent> alerts(List<Event> trace, Direction direction) {
        List<AlertEvent> out = new ArrayList<>();
        for (Event e : trace) {
            if (e instanceof AlertEvent a && a.direction() == direction) {
                out.add(a);
            }
        }
        return out;
    }

    private static <T extends Event> T only(List<Event> trace, Class<T> type) {
        List<T> found = trace.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), found.toString());
        return found.get(0);
    }
}
